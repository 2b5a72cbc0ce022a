package kefu.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import kefu.channel.wechat.WechatChannel;
import kefu.channel.wechat.WechatMenu;
import kefu.config.ConfigException;
import kefu.config.KefuConfig;
import kefu.store.Coordination;
import kefu.store.InProcessCoordination;
import kefu.store.RedisCoordination;
import kefu.template.TemplateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kefu wechat-menu}: pushes the menu in {@code templates/wechat/menu.yaml} to the official account. */
@Command(name = "wechat-menu", mixinStandardHelpOptions = true,
    description = {"Push templates/wechat/menu.yaml to the official account as its custom menu.",
        "Exit 0 when pushed (or, in simulator mode, shown), 1 if WeChat refuses it, 2 if the configuration or menu is wrong."})
public final class WechatMenuCommand implements Callable<Integer> {
  @Mixin
  ConfigFile configFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    KefuConfig config;
    JsonObject menu;
    try {
      config = configFile.load();
      menu = WechatMenu.load(config.paths().templatesDir());
    } catch (ConfigException | TemplateException e) {
      spec.commandLine().getErr().println("kefu: " + e.getMessage());
      return 2;
    }
    Optional<KefuConfig.Account> account = config.wechat().account();
    if (account.isEmpty()) {
      spec.commandLine().getOut().println(menu.encodePrettily());
      spec.commandLine().getOut().println("Simulator mode (no wechat.app-id): nothing pushed; the /simulator page shows this menu.");
      return 0;
    }
    // The access token is shared with running nodes through Redis, so pushing does not invalidate theirs.
    try (Coordination coordination = config.redis()
        .<Coordination>map(r -> new RedisCoordination(r.url(), r.prefix(), "kefu-wechat-menu", Duration.ofSeconds(2)))
        .orElseGet(InProcessCoordination::new)) {
      WechatChannel.pushMenu(config.wechat(), account.get(), coordination, menu.encode());
      spec.commandLine().getOut().println("Menu pushed to " + config.wechat().appId() + ": "
          + menu.getJsonArray("button").size() + " buttons");
      return 0;
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("kefu: " + e.getMessage());
      return 1;
    }
  }
}
