package kefu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kefu.App;
import kefu.TestConfigs;
import kefu.channel.simulator.WechatStandIn;
import kefu.channel.wechat.StandInClient;
import kefu.channel.wechat.WechatMenu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** wechat-menu as an administrator runs it against an official account, here one whose API host is the stand-in. */
class WechatMenuCommandTest {
  private static final Path TEMPLATES = Path.of("templates").toAbsolutePath();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private App standIn;
  private StandInClient wechat;

  @BeforeEach
  void startStandIn() {
    standIn = App.start(TestConfigs.embedded(dir.resolve("stand-in")));
    wechat = new StandInClient(HttpClient.newHttpClient(), standIn.port());
  }

  @AfterEach
  void stopStandIn() {
    standIn.stop();
  }

  @Test
  void pushesTheConfiguredMenuToTheAccount() throws Exception {
    assertThat(kefu("wechat-menu", "--config", config(TEMPLATES).toString())).isEqualTo(0);

    assertThat(out.toString()).isEqualTo("Menu pushed to wx1234567890abcdef: 3 buttons\n");
    assertThat(wechat.menu()).isEqualTo(new JsonObject().put("menu", WechatMenu.load(TEMPLATES)));
  }

  @Test
  void aMenuWeChatRefusesExitsOneWithItsCode() throws Exception {
    wechat.fail(40018);

    assertThat(kefu("wechat-menu", "--config", config(TEMPLATES).toString())).isEqualTo(1);

    assertThat(err.toString()).contains("WeChat refused the menu: error 40018");
    assertThat(wechat.menu().getInteger("errcode")).isEqualTo(46003);
  }

  @Test
  void aBrokenMenuFileExitsTwoNamingItAndPushesNothing() throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates/wechat")).getParent();
    Files.writeString(templates.resolve("wechat/menu.yaml"), "button:\n  - name: 常见问题\n    type: click\n",
        StandardCharsets.UTF_8);

    assertThat(kefu("wechat-menu", "--config", config(templates).toString())).isEqualTo(2);

    assertThat(err.toString()).contains(templates.resolve("wechat/menu.yaml").toString())
        .contains("button 1 (常见问题) needs type click with a key");
    assertThat(wechat.menu().getInteger("errcode")).isEqualTo(46003);
  }

  private Path config(Path templates) throws IOException {
    return Files.writeString(dir.resolve("kefu.yaml"), """
        data:
          dir: %s
        templates:
          dir: %s
        wechat:
          app-id: wx1234567890abcdef
          secret: test-secret
          token: testtoken
          api-host: http://127.0.0.1:%d%s/
        """.formatted(dir.resolve("data"), templates, standIn.port(), WechatStandIn.PATH), StandardCharsets.UTF_8);
  }

  private int kefu(String... args) {
    return new CommandLine(new KefuCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }
}
