package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import kefu.LogLines;
import kefu.TestNode;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The webhook {@code /wechat} over HTTP on a real node in simulator mode: who may call it, what it reads, and
 * what it answers. One plaintext node serves the class; safe mode gets a node of its own.
 */
class WechatWebhookTest {
  static final String TOKEN = TestNode.TOKEN;
  static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  // ---- URL verification (GET)

  @Test
  void aSignedUrlCheckGetsItsEchostrBack() throws Exception {
    // Proves WeChat's server-settings check passes: the echostr comes back verbatim.
    HttpResponse<String> response = node.get("/wechat?" + signedQuery(TOKEN, now()) + "&echostr=8342917354");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("8342917354");
  }

  @Test
  void anUnsignedOrWronglySignedUrlCheckIsRefused() throws Exception {
    // Proves the URL check needs the token's signature: none, or another token's, is 403.
    assertThat(node.get("/wechat?echostr=1").statusCode()).isEqualTo(403);
    assertThat(node.get("/wechat?" + signedQuery("another-token", now()) + "&echostr=1").statusCode()).isEqualTo(403);
  }

  // ---- Signatures on messages (POST)

  static Stream<Arguments> badSignatures() {
    String nonce = Nonces.next();
    long old = now() - Duration.ofMinutes(10).toSeconds();
    return Stream.of(
        Arguments.of("no signature", "timestamp=" + now() + "&nonce=" + nonce),
        Arguments.of("another token's signature", signedQuery("another-token", now())),
        Arguments.of("a correct signature from 10 minutes ago",
            "signature=" + SHA1.gen(TOKEN, Long.toString(old), nonce) + "&timestamp=" + old + "&nonce=" + nonce),
        Arguments.of("a signed timestamp that is not a number",
            "signature=" + SHA1.gen(TOKEN, "soon", nonce) + "&timestamp=soon&nonce=" + nonce));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSignatures")
  void aMessageWithoutAValidSignatureIsRefusedAndNotStored(String why, String query) throws Exception {
    // Proves each way a signature can fail is a 403 before anything about the sender is stored.
    String openid = openid();
    SimulatedWechat.Request genuine = node.wechat().text(openid, "你好");

    assertThat(node.post(query, genuine.body()).statusCode()).isEqualTo(403);
    assertThat(node.customerExists(openid)).isFalse();
  }

  // ---- Round trips

  @Test
  void aPlaintextMessageGetsThePassiveReply() throws Exception {
    // Proves the plaintext round trip: "你好" in, a passive text reply with the greeting out, addressed back.
    String openid = openid();
    Map<String, String> reply = node.reply(node.wechat().text(openid, "你好"));

    assertThat(reply).containsEntry("Content", reply("greeting"))
        .containsEntry("MsgType", "text")
        .containsEntry("ToUserName", openid)
        .containsEntry("FromUserName", SimulatedWechat.ACCOUNT);
    assertThat(node.count(TestNode.MESSAGES_OF, openid)).isEqualTo(2);
  }

  @Test
  void aMessageSealedForAnotherAccountIsRefused(@TempDir Path safeDir) throws Exception {
    // Proves the app id inside an encrypted message is checked: sealed with the same token and key but for another
    // account, and correctly msg_signature'd, it is refused with 403 and nothing is stored.
    try (TestNode safe = TestNode.start(TestNode.config(safeDir, Optional.of(TestNode.AES_KEY)))) {
      SimulatedWechat otherAccount = new SimulatedWechat(TOKEN, crypto(TOKEN, TestNode.AES_KEY, "wx0therAccount00"), Clock.systemUTC());
      String openid = openid();
      assertThat(safe.post(otherAccount.text(openid, "你好")).statusCode()).isEqualTo(403);
      assertThat(safe.customerExists(openid)).isFalse();
      assertThat(safe.post(safe.wechat().text(openid, "你好")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void safeModeDecryptsTheMessageAndSealsTheReply(@TempDir Path safeDir) throws Exception {
    // Proves safe mode: an encrypted, msg_signature'd message is read, and the reply is encrypted and signed
    // so that WeChat accepts it; a wrong msg_signature is refused and stores nothing.
    try (TestNode safe = TestNode.start(TestNode.config(safeDir, Optional.of(TestNode.AES_KEY)))) {
      String openid = openid();
      SimulatedWechat.Request request = safe.wechat().text(openid, "你好");
      assertThat(request.query()).contains("encrypt_type=aes", "msg_signature=");
      assertThat(request.body()).doesNotContain("你好");

      HttpResponse<String> response = safe.post(request);
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, String> sealed = WechatXml.parse(response.body());
      assertThat(sealed).containsOnlyKeys("Encrypt", "MsgSignature", "TimeStamp", "Nonce");
      assertThat(sealed.get("MsgSignature"))
          .isEqualTo(SHA1.gen(TOKEN, sealed.get("TimeStamp"), sealed.get("Nonce"), sealed.get("Encrypt")));
      assertThat(safe.wechat().open(response.body()))
          .containsEntry("Content", reply("greeting"))
          .containsEntry("ToUserName", openid);

      String stranger = openid();
      SimulatedWechat.Request forged = safe.wechat().text(stranger, "你好");
      String query = forged.query().replaceAll("msg_signature=[0-9a-f]+", "msg_signature=" + "0".repeat(40));
      assertThat(safe.post(query, forged.body()).statusCode()).isEqualTo(403);
      assertThat(safe.customerExists(stranger)).isFalse();
    }
  }

  @Test
  void decryptsWeChatsPublishedSampleMessage() {
    // Proves WechatCrypto reads what WeChat itself encrypts: the official account sample vector that WxJava's
    // WxCryptUtilTest uses (token pamtest, appId wxb11529c136998cb6, random prefix "aaaabbbbccccdddd").
    WechatCrypto crypto = crypto("pamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
    String encrypt = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweI"
        + "mX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9e"
        + "nGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1f"
        + "BIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo"
        + "4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cEx"
        + "WtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    Map<String, String> fields = WechatXml.parse(crypto.decrypt(encrypt));

    assertThat(fields)
        .containsEntry("ToUserName", "oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw")
        .containsEntry("FromUserName", "gh_7f083739789a")
        .containsEntry("CreateTime", "1407743423")
        .containsEntry("MsgType", "video")
        .containsEntry("MediaId", "eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0");
  }

  @Test
  void checksTheMsgSignatureAndDecryptsWeChatsPublishedCallbackSample() {
    // Proves msg_signature and decryption against the callback sample in WeChat's WXBizMsgCrypt samples (the
    // WeCom documentation, path/90968; same protocol as the official account's safe mode).
    WechatCrypto crypto = crypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");
    String encrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sY"
        + "YvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2"
        + "hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJ"
        + "WrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uy"
        + "PIGHBZZIs2pDBS8R07+qN+E7Q==";

    assertThat(crypto.messageSigned("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", encrypt)).isTrue();
    assertThat(crypto.messageSigned("477715d11cdb4164915debcba66cb864d751f3e6", "1409659814", "1372623149", encrypt)).isFalse();
    assertThat(WechatXml.parse(crypto.decrypt(encrypt)))
        .containsEntry("ToUserName", "wx5823bf96d3bd56c7")
        .containsEntry("MsgType", "text")
        .containsEntry("Content", "hello")
        .containsEntry("MsgId", "4561255354251345929");
  }

  // ---- What the webhook reads

  static Stream<Arguments> hostileBodies() {
    String head = "<xml><ToUserName><![CDATA[gh_kefusimulator]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"
        + "<CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[text]]></MsgType>";
    return Stream.of(
        Arguments.of("XXE", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + head + "<Content>&xxe;</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol \"lol\">"
            + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
            + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
            + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
            + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
            + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">]>"
            + head + "<Content>&lol5;</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("an undeclared entity", head + "<Content>&xxe;</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("malformed XML", head + "<Content>你好</Contnt><MsgId>%s</MsgId></xml>"),
        Arguments.of("another root element", "<message>" + head.substring("<xml>".length()) + "<MsgId>%s</MsgId></message>"),
        Arguments.of("a message without FromUserName", head.replaceAll("<FromUserName>.*</FromUserName>", "<!-- %s -->")
            + "<Content>你好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("an unclosed tag", head + "<Content>你好<MsgId>%s</MsgId></xml>"),
        Arguments.of("an unclosed document", head + "<Content>你好</Content><MsgId>%s</MsgId>"),
        Arguments.of("NUL in the text", head + "<Content>你\u0000好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("\\x01 in the text", head + "<Content>你\u0001好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("\\x01 in CDATA", head + "<Content><![CDATA[你\u0001好]]></Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("&#0; in the text", head + "<Content>你&#0;好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("&#xD800; in the text", head + "<Content>你&#xD800;好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("&#1; in XML 1.1", "<?xml version=\"1.1\"?>" + head + "<Content>你&#1;好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("a GBK declaration", "<?xml version=\"1.0\" encoding=\"GBK\"?>" + head + "<Content>hi</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("an openid over 64 characters", head.replace("%s", "%s" + "x".repeat(64)) + "<Content>你好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("a MsgId over 64 characters", head + "<Content>你好</Content><MsgId>%s" + "9".repeat(64) + "</MsgId></xml>"),
        Arguments.of("a MsgType over 64 characters", head.replace("[text]", "[text" + "x".repeat(64) + "]")
            + "<Content>你好</Content><MsgId>%s</MsgId></xml>"),
        Arguments.of("an Event over its column", head.replace("[text]", "[event]") + "<Event>subscribe" + "x".repeat(60)
            + "</Event><MsgId>%s</MsgId></xml>"),
        Arguments.of("a menu EventKey of 10,000 characters", head.replace("[text]", "[event]") + "<Event>CLICK</Event><EventKey>"
            + "k".repeat(10_000) + "</EventKey><MsgId>%s</MsgId></xml>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBodies")
  void aHostileOrBrokenBodyIsRefusedWith400AndTheNodeAnswersTheNextMessage(String what, String template) throws Exception {
    // Proves a properly signed but hostile or broken body is a 400, nothing of it is stored (no entity is
    // expanded), the log has one line saying why and nothing of the body, and the node goes on answering.
    String openid = openid();
    String msgId = Long.toString(System.nanoTime());
    HttpResponse<String> response;
    List<String> lines;
    try (LogLines log = LogLines.all()) {
      response = node.post(signedQuery(TOKEN, now()), template.formatted(openid, msgId));
      lines = log.messages();
    }

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("root:", "lol", openid, "kkkkkkkk");
    assertThat(lines).noneMatch(line -> line.contains(openid) || line.contains("你") || line.contains("kkkkkkkk"))
        .filteredOn(line -> !line.startsWith("POST /wechat ")) // the access log's line
        .singleElement().asString().startsWith("Refused POST /wechat");
    assertThat(node.customerExists(openid)).isFalse();
    assertThat(node.count("SELECT COUNT(*) FROM messages WHERE wechat_msg_id = ?", msgId)).isZero();
    assertThat(node.reply(node.wechat().text(openid(), "你好"))).containsEntry("Content", reply("greeting"));
  }

  static Stream<Arguments> notUtf8() {
    return Stream.of(
        Arguments.of("GBK", Charset.forName("GBK")),
        Arguments.of("GB18030", Charset.forName("GB18030")),
        Arguments.of("UTF-16", StandardCharsets.UTF_16));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notUtf8")
  void aBodyNotInUtf8IsRefusedWith400RatherThanStoredAsMojibake(String what, Charset charset) throws Exception {
    // Proves a message in real GBK bytes (or any encoding but WeChat's UTF-8) is a 400 and stores nothing, instead
    // of a text of replacement characters.
    String openid = openid();
    SimulatedWechat.Request request = node.wechat().text(openid, "你好，我的订单到哪里了");

    HttpResponse<String> response = node.post(request.query(), request.body().getBytes(charset));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(node.customerExists(openid)).isFalse();
  }

  @Test
  void invalidUtf8IsRefusedWith400() throws Exception {
    // Proves a byte sequence that is no UTF-8 at all (a lone continuation byte, a truncated sequence) is a 400.
    String openid = openid();
    String body = node.wechat().text(openid, "AB").body();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int at = body.indexOf("AB");
    bytes[at] = (byte) 0x80;
    bytes[at + 1] = (byte) 0xE4;

    assertThat(node.post(signedQuery(TOKEN, now()), bytes).statusCode()).isEqualTo(400);
    assertThat(node.customerExists(openid)).isFalse();
  }

  @Test
  void aTextLongerThanTheColumnIsStoredCutAndNotLogged() throws Exception {
    // Proves a text over 20,000 characters is cut by rule before the database, not refused by it with an error that
    // quotes it: it is stored cut, answered, and no log line holds the openid or the text.
    String openid = openid();
    String text = "Zq8".repeat(8_400);
    List<String> lines;
    try (LogLines log = LogLines.all()) {
      assertThat(node.post(node.wechat().text(openid, text)).statusCode()).isEqualTo(200);
      lines = log.messages();
    }

    assertThat(node.one(String.class, "SELECT m.text FROM messages m JOIN conversations v ON v.id = m.conversation_id "
        + "JOIN customers c ON c.id = v.customer_id WHERE c.openid = ? AND m.direction = 'in'", openid))
        .isEqualTo(text.substring(0, WechatInbound.MAX_TEXT));
    assertThat(lines).noneMatch(line -> line.contains(openid) || line.contains("Zq8Zq8"));
  }

  @Test
  void aMenuKeyOfWeChatsLengthIsLoggedBounded() throws Exception {
    // Proves a menu click whose key has no action is said in the log in one bounded line: the key is at most
    // WeChat's 128 bytes, a longer one is refused before the dialogue sees it.
    String key = "k".repeat(WechatInbound.MAX_MENU_KEY_BYTES);
    List<String> lines;
    try (LogLines log = LogLines.all()) {
      assertThat(node.post(node.wechat().event(openid(), "CLICK", key)).statusCode()).isEqualTo(200);
      assertThat(node.post(node.wechat().event(openid(), "CLICK", key + "k")).statusCode()).isEqualTo(400);
      lines = log.messages();
    }

    assertThat(lines).isNotEmpty().allMatch(line -> line.length() < 400);
  }

  static Stream<Arguments> farTimestamps() {
    return Stream.of(Arguments.of("9000000000000000000"), Arguments.of("100000000000000000"), Arguments.of("-9000000000000000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("farTimestamps")
  void aSignedTimestampBeyondAnyDateIsRefusedWith403(String timestamp) throws Exception {
    // Proves a correctly signed timestamp too large for a date is as stale as any other: 403, nothing stored.
    String openid = openid();
    String nonce = Nonces.next();
    String query = "signature=" + SHA1.gen(TOKEN, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce;

    assertThat(node.post(query, node.wechat().text(openid, "你好").body()).statusCode()).isEqualTo(403);
    assertThat(node.get("/wechat?" + query + "&echostr=1").statusCode()).isEqualTo(403);
    assertThat(node.customerExists(openid)).isFalse();
  }

  @Test
  void aSignatureReplayedWithAnotherMessageIsRefused() throws Exception {
    // Proves a signature, timestamp and nonce seen once cannot carry another message within their five minutes:
    // 403 and nothing stored; the same message again is WeChat's retry, answered as before.
    String openid = openid();
    SimulatedWechat.Request first = node.wechat().text(openid, "你好");
    assertThat(node.post(first).statusCode()).isEqualTo(200);

    String intruder = openid();
    String replayed = node.wechat().text(intruder, "你好").body();
    assertThat(node.post(first.query(), replayed).statusCode()).isEqualTo(403);
    assertThat(node.customerExists(intruder)).isFalse();
    assertThat(node.post(first).statusCode()).isEqualTo(200);
    assertThat(node.count(TestNode.MESSAGES_OF + " AND m.direction = 'in'", openid)).isEqualTo(1);
  }

  @Test
  void safeModeRefusesPlaintextAndCompatibleModeTakesBoth(@TempDir Path safeDir, @TempDir Path compatibleDir) throws Exception {
    // Proves the message mode: in safe mode a correctly signed plaintext message is a downgrade, refused with 403 and
    // not stored; in compatible mode the same is taken, and so is an encrypted one.
    try (TestNode safe = TestNode.start(TestNode.config(safeDir, Optional.of(TestNode.AES_KEY)))) {
      assertThat(safe.config().wechat().messageMode()).isEqualTo(KefuConfig.MessageMode.SAFE);
      String openid = openid();
      assertThat(safe.post(signedQuery(TOKEN, now()), plaintext(openid)).statusCode()).isEqualTo(403);
      assertThat(safe.customerExists(openid)).isFalse();
    }
    KefuConfig config = TestNode.config(compatibleDir, Optional.of(TestNode.AES_KEY));
    KefuConfig.Wechat w = config.wechat();
    try (TestNode compatible = TestNode.start(config.withWechat(new KefuConfig.Wechat(w.account(), w.token(), w.aesKey(),
        KefuConfig.MessageMode.COMPATIBLE, w.replyBudget(), w.serviceTemplateId(), w.quotas())))) {
      String plain = openid();
      assertThat(compatible.post(signedQuery(TOKEN, now()), plaintext(plain)).statusCode()).isEqualTo(200);
      assertThat(compatible.customerExists(plain)).isTrue();
      assertThat(compatible.reply(compatible.wechat().text(openid(), "你好"))).containsEntry("Content", reply("greeting"));
    }
  }

  @Test
  void everyAnswerOfTheWebhookForbidsSniffing() throws Exception {
    // Proves an echostr with markup comes back as text that no browser may take for HTML, and the header is on
    // every answer of the webhook: a refusal, a reply.
    HttpResponse<String> echo = node.get("/wechat?" + signedQuery(TOKEN, now()) + "&echostr=%3Cscript%3Ealert(1)%3C/script%3E");
    assertThat(echo.statusCode()).isEqualTo(200);
    assertThat(echo.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(echo.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(node.get("/wechat?echostr=1").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(node.post(node.wechat().text(openid(), "你好")).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    // Proves an oversized signed body is a 413 whoever catches it: the webhook's own 64 KB limit (the node's
    // http body limit is 128 KB here), or the router's limit above that; nothing is stored.
    String openid = openid();
    SimulatedWechat.Request small = node.wechat().text(openid, "你好");
    String padding = "<Padding>" + "x".repeat(WechatWebhook.MAX_BODY_BYTES) + "</Padding></xml>";
    String overWebhookLimit = small.body().replace("</xml>", padding);
    String overRouterLimit = small.body().replace("</xml>", padding.repeat(3));

    assertThat(node.post(small.query(), overWebhookLimit).statusCode()).isEqualTo(413);
    assertThat(node.post(small.query(), overRouterLimit).statusCode()).isEqualTo(413);
    assertThat(node.customerExists(openid)).isFalse();
  }

  // ---- WeChat's retries

  @Test
  void retriesOfAMessageAreAnsweredOnceWithTheSameReply() throws Exception {
    // Proves WeChat's three tries of one message (same MsgId) make one inbound row and one reply: each try
    // answers with that reply or "success", a late retry with the same reply, and nothing goes out through the API.
    String openid = openid();
    SimulatedWechat.Request request = node.wechat().text(openid, "你好");
    String msgId = WechatXml.parse(request.body()).get("MsgId");

    List<String> answers = Stream.of(1, 2, 3)
        .map(i -> node.postAsync(request))
        .toList().stream()
        .map(CompletableFuture::join)
        .map(response -> opened(response).getOrDefault("Content", "success"))
        .toList();

    assertThat(answers).isSubsetOf(reply("greeting"), "success").contains(reply("greeting"));
    // Once the first try is recorded as handled, a retry gets the same passive reply again.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(node.reply(request)).containsEntry("Content", reply("greeting")));

    assertThat(node.count("SELECT COUNT(*) FROM messages WHERE wechat_msg_id = ?", msgId)).isEqualTo(1);
    assertThat(node.count(TestNode.MESSAGES_OF + " AND m.direction = 'out'", openid)).isEqualTo(1);
    assertThat(node.count(TestNode.OUTBOX_OF, openid)).isEqualTo(1);
    assertThat(node.count(TestNode.OUTBOX_OF + " AND o.channel = 'reply' AND o.status = 'sent'", openid)).isEqualTo(1);
    assertThat(node.sent(openid)).isEmpty();
  }

  // ---- Helpers

  static String reply(String name) {
    return TEMPLATES.text("reply." + name);
  }

  static String openid() {
    return "o" + UUID.randomUUID().toString().replace("-", "");
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  /** The signature, timestamp and nonce WeChat puts on every request, made with {@code token}. */
  static String signedQuery(String token, long timestamp) {
    String nonce = Nonces.next();
    return "signature=" + SHA1.gen(token, Long.toString(timestamp), nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce;
  }

  static WechatCrypto crypto(String token, String aesKey, String appId) {
    return new WechatCrypto(new KefuConfig.Wechat(Optional.of(new KefuConfig.Account(appId, "unused", "https://api.weixin.qq.com")), token,
        Optional.of(aesKey), Duration.ofSeconds(3), Optional.empty(), new KefuConfig.Quotas(5, Duration.ofHours(48), 3)));
  }

  /** A plaintext text message from {@code openid}, as WeChat's plaintext mode sends it. */
  static String plaintext(String openid) {
    return "<xml><ToUserName><![CDATA[gh_kefusimulator]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
        + "<CreateTime>" + now() + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>"
        + "<MsgId>" + System.nanoTime() + "</MsgId></xml>";
  }

  private static Map<String, String> opened(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return node.wechat().open(response.body());
  }
}
