package kefu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kefu} command line; without a sub-command it serves. */
@Command(
    name = "kefu",
    mixinStandardHelpOptions = true,
    versionProvider = KefuCommand.Version.class,
    description = "Customer service for a WeChat official account.",
    subcommands = {ServeCommand.class, KbCheckCommand.class, KbImportCommand.class, KbEvalCommand.class,
        KbTrainCommand.class, KbThresholdsCommand.class, WechatMenuCommand.class, WechatBenchCommand.class, OutboxBenchCommand.class, JourneyBenchCommand.class, CampaignBenchCommand.class, ReportBenchCommand.class, UserCommand.class,
        CustomerImportCommand.class})
public final class KefuCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    return new ServeCommand().call();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KefuCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kefu " + (version == null ? "(development build)" : version)};
    }
  }
}
