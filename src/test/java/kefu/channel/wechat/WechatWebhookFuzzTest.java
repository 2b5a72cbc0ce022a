package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import kefu.LogLines;
import kefu.TestNode;
import kefu.channel.simulator.SimulatedWechat;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuzz test of {@code /wechat}: thousands of generated requests — WeChat's messages broken by grammar-based
 * mutations, random bytes, huge and deep documents, other encodings, entity tricks, in plaintext and encrypted —
 * with signed parameters, some of them tampered with. For each: a status below 500, a 4xx for every request known to
 * be broken, a 200 for every one known to be good; over the run: nothing stored that was not accepted, the node
 * healthy, no error logged and no openid or text of a request in any log line.
 *
 * <p>Seeded: the seed is printed, and {@code -Dkefu.fuzz.seed=N} makes the same requests again.
 */
class WechatWebhookFuzzTest {
  static final long SEED = Long.getLong("kefu.fuzz.seed", System.nanoTime());
  /** Every generated openid starts so, and every generated text: the log is searched for both. */
  static final String OPENID = "o-FZ-";
  static final String TEXT = "FZ文";
  static final int PLAINTEXT_REQUESTS = 2000;
  static final int SAFE_REQUESTS = 700;
  /** Requests in flight at once, as WeChat sends several customers' messages at a time. */
  static final int CONCURRENCY = 8;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void plaintextRequests(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      fuzz(node, new Generator(new Random(SEED), Optional.empty()), PLAINTEXT_REQUESTS);
    }
  }

  @Test
  void safeModeRequests(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.of(TestNode.AES_KEY)))) {
      fuzz(node, new Generator(new Random(SEED + 1), Optional.of(new WechatCrypto(node.config().wechat()))), SAFE_REQUESTS);
    }
  }

  private void fuzz(TestNode node, Generator generator, int requests) throws Exception {
    System.out.println("WechatWebhookFuzzTest seed " + SEED + " (-Dkefu.fuzz.seed=" + SEED + " makes the same requests)");
    Set<String> accepted = new HashSet<>();
    List<String> lines;
    List<String> errors;
    try (LogLines log = LogLines.all()) {
      for (int sent = 0; sent < requests; sent += CONCURRENCY) {
        List<Case> batch = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
          Case next = generator.next();
          batch.add(next);
          responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/wechat?" + next.query()))
              .header("Content-Type", "text/xml").timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofByteArray(next.body())).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < batch.size(); i++) {
          Case c = batch.get(i);
          int status = responses.get(i).join().statusCode();
          String as = "seed " + SEED + ", " + c.what();
          assertThat(status).as(as).isLessThan(500);
          switch (c.expect()) {
            case VALID -> assertThat(status).as(as).isEqualTo(200);
            case INVALID -> assertThat(status).as(as).isBetween(400, 499);
            case EITHER -> { }
          }
          if (status == 200) {
            accepted.add(c.openid());
            generator.signed(c.query());
          }
        }
        if (sent % 400 == 0) {
          assertThat(node.get("/health").statusCode()).as("health after %d requests, seed %d", sent, SEED).isEqualTo(200);
        }
      }
      lines = log.messages();
      errors = log.errors();
    }
    System.out.println("WechatWebhookFuzzTest: " + requests + " requests, " + accepted.size() + " accepted, " + generator.counts());

    assertThat(node.get("/health").statusCode()).isEqualTo(200);
    assertThat(node.reply(node.wechat().text("o-fuzz-after", "你好"))).containsKey("Content");
    assertThat(node.column(String.class, "SELECT openid FROM customers WHERE openid LIKE ?", OPENID + "%"))
        .as("customers stored, seed %d", SEED).containsExactlyInAnyOrderElementsOf(accepted);
    assertThat(errors).as("errors logged, seed %d", SEED).isEmpty();
    assertThat(lines).as("log lines with customer data, seed %d", SEED)
        .noneMatch(line -> line.contains(OPENID) || line.contains(TEXT));
    assertThat(lines).as("log lines with control characters or unbounded, seed %d", SEED)
        .allMatch(line -> line.length() < 500 && line.chars().noneMatch(Character::isISOControl));
  }

  enum Expect { VALID, INVALID, EITHER }

  /** One generated request; {@code what} names how it was made, for the failure message. */
  record Case(String what, String query, byte[] body, Expect expect, String openid) {}

  /** A mutation of a message's fields, of its XML, or of its bytes, and what it makes of a good message. */
  record Mutation<T>(String name, Expect expect, UnaryOperator<T> apply) {}

  /** Writes WeChat's messages from one seed and breaks some of them. Not thread-safe. */
  static final class Generator {
    private static final String ACCOUNT = SimulatedWechat.ACCOUNT;
    private static final Set<String> REPLACEABLE = Set.of("ToUserName", "CreateTime", "Content", "MediaId", "PicUrl", "Format",
        "Recognition", "Latitude", "Longitude");
    private final Random random;
    private final Optional<WechatCrypto> crypto;
    private final WechatCrypto foreign = WechatWebhookTest.crypto(TestNode.TOKEN, TestNode.AES_KEY, "wx0therAccount00");
    private final List<String> signedQueries = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();

    Generator(Random random, Optional<WechatCrypto> crypto) {
      this.random = random;
      this.crypto = crypto;
    }

    /** A query that was accepted: later requests replay it with other messages. */
    void signed(String query) {
      if (signedQueries.size() < 100) {
        signedQueries.add(query);
      }
    }

    Map<String, Integer> counts() {
      return counts;
    }

    Case next() {
      String openid = OPENID + alnum(10 + random.nextInt(19));
      List<String> how = new ArrayList<>();
      List<Expect> expects = new ArrayList<>();
      List<String[]> fields = message(openid);
      for (Mutation<List<String[]>> m : pick(fieldMutations(), 0.35, 2)) {
        fields = m.apply().apply(fields);
        note(m, how, expects);
      }
      String xml = render(fields);
      for (Mutation<String> m : pick(xmlMutations(), 0.3, 2)) {
        xml = m.apply().apply(xml);
        note(m, how, expects);
      }
      long timestamp = Instant.now().getEpochSecond();
      String nonce = Nonces.next();
      String ts = Long.toString(timestamp);
      String signature = SHA1.gen(TestNode.TOKEN, ts, nonce);
      byte[] body;
      String query;
      if (crypto.isPresent()) {
        String encrypt = crypto.get().encrypt(xml);
        String extra = "";
        switch (random.nextInt(14)) {
          case 0 -> { // a plaintext message to a node in safe mode: a downgrade
            note("plaintext in safe mode", Expect.INVALID, how, expects);
            encrypt = null;
          }
          case 1 -> {
            note("wrong msg_signature", Expect.INVALID, how, expects);
            extra = "&encrypt_type=aes&msg_signature=" + SHA1.gen("another", ts, nonce, encrypt);
          }
          case 2 -> {
            note("sealed for another account", Expect.INVALID, how, expects);
            encrypt = foreign.encrypt(xml);
          }
          case 3 -> {
            note("random ciphertext", Expect.INVALID, how, expects);
            byte[] noise = new byte[32 * (1 + random.nextInt(8))];
            random.nextBytes(noise);
            encrypt = Base64.getEncoder().encodeToString(noise);
          }
          case 4 -> {
            note("one ciphertext character changed", Expect.EITHER, how, expects);
            char[] chars = encrypt.toCharArray();
            int at = random.nextInt(chars.length - 4);
            chars[at] = chars[at] == 'A' ? 'B' : 'A';
            encrypt = new String(chars);
          }
          case 5 -> {
            note("no Encrypt", Expect.INVALID, how, expects);
            extra = "&encrypt_type=aes&msg_signature=" + SHA1.gen(TestNode.TOKEN, ts, nonce, encrypt);
            encrypt = "";
          }
          default -> { }
        }
        if (encrypt == null) {
          body = xml.getBytes(StandardCharsets.UTF_8);
        } else {
          if (extra.isEmpty()) {
            extra = "&encrypt_type=aes&msg_signature=" + SHA1.gen(TestNode.TOKEN, ts, nonce, encrypt);
          }
          String envelope = encrypt.isEmpty() ? "<xml><ToUserName>" + ACCOUNT + "</ToUserName></xml>"
              : "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
          body = envelope.getBytes(StandardCharsets.UTF_8);
        }
        query = signedParameters(signature, ts, nonce, how, expects) + extra;
      } else {
        body = xml.getBytes(StandardCharsets.UTF_8);
        // One at most: each writes the body anew.
        for (Mutation<byte[]> m : pick(byteMutations(xml), 0.12, 1)) {
          body = m.apply().apply(body);
          note(m, how, expects);
        }
        query = signedParameters(signature, ts, nonce, how, expects);
      }
      Expect expect = expects.contains(Expect.INVALID) ? Expect.INVALID : expects.contains(Expect.EITHER) ? Expect.EITHER : Expect.VALID;
      how.forEach(name -> counts.merge(name, 1, Integer::sum));
      return new Case(how.isEmpty() ? "a good message" : String.join(" + ", how), query + "&openid=" + openid, body, expect, openid);
    }

    /** The signature, timestamp and nonce, or a tampering of them. */
    private String signedParameters(String signature, String ts, String nonce, List<String> how, List<Expect> expects) {
      String good = "signature=" + signature + "&timestamp=" + ts + "&nonce=" + nonce;
      switch (random.nextInt(24)) {
        case 0 -> {
          note("another token's signature", Expect.INVALID, how, expects);
          return "signature=" + SHA1.gen("another", ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce;
        }
        case 1 -> {
          long stale = Long.parseLong(ts) + (random.nextBoolean() ? 1 : -1) * (301 + random.nextInt(1_000_000));
          note("a stale timestamp", Expect.INVALID, how, expects);
          return signed(Long.toString(stale), nonce);
        }
        case 2 -> {
          note("a timestamp beyond any date", Expect.INVALID, how, expects);
          return signed(List.of("9000000000000000000", "100000000000000000", "-9000000000000000000",
              Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE)).get(random.nextInt(5)), nonce);
        }
        case 3 -> {
          note("a timestamp that is not a number", Expect.INVALID, how, expects);
          return signed(List.of("1e9", "12 34", "0x10", "一", ts + ".0").get(random.nextInt(5)), nonce);
        }
        case 4 -> {
          note("a parameter missing", Expect.INVALID, how, expects);
          List<String> parts = new ArrayList<>(List.of(good.split("&")));
          parts.remove(random.nextInt(parts.size()));
          return String.join("&", parts);
        }
        case 5 -> {
          if (signedQueries.isEmpty()) {
            return good;
          }
          note("a signature replayed with another message", Expect.INVALID, how, expects);
          String replayed = signedQueries.get(random.nextInt(signedQueries.size()));
          return replayed.replaceAll("&(openid|encrypt_type|msg_signature)=[^&]*", "");
        }
        default -> {
          return good;
        }
      }
    }

    private static String signed(String ts, String nonce) {
      return "signature=" + SHA1.gen(TestNode.TOKEN, ts, nonce) + "&timestamp=" + URLEncoder.encode(ts, StandardCharsets.UTF_8)
          + "&nonce=" + nonce;
    }

    // ---- Messages, as WeChat writes them

    private List<String[]> message(String openid) {
      List<String[]> fields = new ArrayList<>();
      fields.add(pair("ToUserName", ACCOUNT));
      fields.add(pair("FromUserName", openid));
      fields.add(pair("CreateTime", Long.toString(Instant.now().getEpochSecond())));
      switch (random.nextInt(8)) {
        case 0 -> {
          fields.add(pair("MsgType", "voice"));
          fields.add(pair("MediaId", alnum(40)));
          fields.add(pair("Format", "amr"));
          fields.add(pair("Recognition", text()));
          fields.add(msgId());
        }
        case 1 -> {
          fields.add(pair("MsgType", "image"));
          fields.add(pair("PicUrl", "http://mmbiz.qpic.cn/" + alnum(20)));
          fields.add(pair("MediaId", alnum(40)));
          fields.add(msgId());
        }
        case 2 -> {
          fields.add(pair("MsgType", "event"));
          String[] events = {"subscribe", "unsubscribe", "CLICK", "VIEW", "LOCATION", "SCAN"};
          String event = events[random.nextInt(events.length)];
          fields.add(pair("Event", event));
          switch (event) {
            case "CLICK" -> fields.add(pair("EventKey", List.of("faq", "handoff", "rating", "unknown_" + alnum(8)).get(random.nextInt(4))));
            case "VIEW" -> fields.add(pair("EventKey", "https://example.com/" + alnum(30)));
            case "LOCATION" -> {
              fields.add(pair("Latitude", "23.137466"));
              fields.add(pair("Longitude", "113.352425"));
            }
            default -> { }
          }
        }
        default -> {
          fields.add(pair("MsgType", "text"));
          fields.add(pair("Content", text()));
          fields.add(msgId());
        }
      }
      return fields;
    }

    private String[] msgId() {
      return pair("MsgId", Long.toString(1_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 9_000_000_000_000_000_000L));
    }

    /** A customer's text: Chinese, Latin, digits, XML's special characters, an emoji, a line break. */
    private String text() {
      StringBuilder text = new StringBuilder(TEXT).append("你好");
      int length = random.nextInt(10) == 0 ? 0 : random.nextInt(80);
      String[] pieces = {"订单", "退货", "请问", "?", "！", "&", "<", ">", "\"", "'", "]]>", "😀", "\n", " ", "a", "Z", "7", "&amp;", "<![CDATA["};
      for (int i = 0; i < length; i++) {
        text.append(random.nextBoolean() ? (char) (0x4E00 + random.nextInt(0x5000)) : pieces[random.nextInt(pieces.length)]);
      }
      return text.toString();
    }

    /** The fields as XML, in one of the ways WeChat or a stand-in may write them. */
    private String render(List<String[]> fields) {
      boolean cdata = random.nextBoolean();
      String between = List.of("", "", "\n", "\n  ", " \t").get(random.nextInt(5));
      StringBuilder xml = new StringBuilder("<xml>");
      for (String[] field : fields) {
        xml.append(between).append('<').append(field[0]).append('>');
        if (cdata) {
          WechatXml.cdata(xml, field[1]);
        } else {
          xml.append(field[1].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
        xml.append("</").append(field[0]).append('>');
      }
      return xml.append(between).append("</xml>").toString();
    }

    // ---- Mutations

    private List<Mutation<List<String[]>>> fieldMutations() {
      return List.of(
          new Mutation<>("FromUserName missing", Expect.INVALID, f -> without(f, "FromUserName")),
          new Mutation<>("MsgType missing", Expect.INVALID, f -> without(f, "MsgType")),
          new Mutation<>("CreateTime missing", Expect.INVALID, f -> without(f, "CreateTime")),
          new Mutation<>("openid over 64 characters", Expect.INVALID, f -> changed(f, "FromUserName", v -> v + "x".repeat(60))),
          new Mutation<>("MsgType over its column", Expect.INVALID, f -> changed(f, "MsgType", v -> v + "x".repeat(64))),
          new Mutation<>("MsgId over its column", Expect.INVALID, f -> has(f, "MsgId")
              ? changed(f, "MsgId", v -> v + "9".repeat(64)) : changed(f, "MsgType", v -> v + "x".repeat(64))),
          new Mutation<>("Event over its column", Expect.INVALID, f -> has(f, "Event")
              ? changed(f, "Event", v -> v + "x".repeat(60)) : without(f, "FromUserName")),
          new Mutation<>("a menu key over 128 bytes", Expect.INVALID, f -> menuClick(f, "键".repeat(43))),
          new Mutation<>("a menu key of 10,000 characters", Expect.INVALID, f -> menuClick(f, "k".repeat(10_000))),
          new Mutation<>("a text of 25,000 characters", Expect.VALID, f -> changed(f, "Content", v -> v + "z".repeat(25_000))),
          new Mutation<>("a body over 64 KB", Expect.INVALID, f -> with(f, pair("Padding", "z".repeat(70_000)))),
          new Mutation<>("an unknown field", Expect.VALID, f -> with(f, pair("Unknown" + alnum(3), alnum(10)))),
          new Mutation<>("fields reordered", Expect.VALID, f -> {
            List<String[]> shuffled = new ArrayList<>(f);
            Collections.shuffle(shuffled, random);
            return shuffled;
          }),
          new Mutation<>("a field twice", Expect.EITHER, f -> with(f, f.get(random.nextInt(f.size())))),
          new Mutation<>("a field's value replaced", Expect.EITHER, f -> {
            // Not a field another mutation may have broken on purpose: replaced, it would be good again.
            List<String[]> changed = new ArrayList<>(f);
            int at = random.nextInt(changed.size());
            if (REPLACEABLE.contains(changed.get(at)[0])) {
              changed.set(at, pair(changed.get(at)[0], List.of("", " ", "0", "-1", "event", "text", alnum(30)).get(random.nextInt(7))));
            }
            return changed;
          }));
    }

    private List<Mutation<String>> xmlMutations() {
      String bad = List.of("\u0000", "\u0001", "\u0008", "\u000B", "\u001F", "\uFFFE", "\uFFFF").get(random.nextInt(7));
      String badReference = List.of("&#0;", "&#x0;", "&#1;", "&#xD800;", "&#xDFFF;", "&#xFFFE;", "&#x110000;", "&#99999999999;")
          .get(random.nextInt(8));
      return List.of(
          new Mutation<>("truncated", Expect.INVALID, x -> {
            int end = x.indexOf("</xml>");
            return x.substring(0, random.nextInt(end < 1 ? x.length() : end));
          }),
          new Mutation<>("an unclosed tag", Expect.INVALID, x -> x.replaceFirst("</(MsgType|CreateTime)>", "")),
          new Mutation<>("a character XML forbids", Expect.INVALID, x -> inside(x, bad)),
          new Mutation<>("a reference to a character XML forbids", Expect.INVALID, x -> inside(x, badReference)),
          new Mutation<>("an undeclared entity", Expect.INVALID, x -> inside(x, "&fz" + alnum(3) + ";")),
          new Mutation<>("an external entity", Expect.INVALID, x -> "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
              + x.replaceFirst("<xml>", "<xml>&e;")),
          new Mutation<>("nested entities", Expect.INVALID, x -> "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
              + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>" + x.replaceFirst("<xml>", "<xml>&c;")),
          new Mutation<>("another root", Expect.INVALID, x -> x.replace("<xml>", "<XML>").replace("</xml>", "</XML>")),
          new Mutation<>("a second root", Expect.INVALID, x -> x + "<xml></xml>"),
          new Mutation<>("XML 1.1", Expect.INVALID, x -> "<?xml version=\"1.1\"?>" + x),
          new Mutation<>("declared GBK", Expect.INVALID, x -> "<?xml version=\"1.0\" encoding=\"GBK\"?>" + x),
          new Mutation<>("declared UTF-8", Expect.VALID, x -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + x),
          new Mutation<>("a comment", Expect.VALID, x -> x.replaceFirst("<xml>", "<xml><!-- " + alnum(20) + " -->")),
          new Mutation<>("a processing instruction", Expect.VALID, x -> x.replaceFirst("<xml>", "<xml><?fz " + alnum(5) + "?>")),
          new Mutation<>("an attribute", Expect.VALID, x -> x.replaceFirst("<xml>", "<xml a=\"1\">")),
          new Mutation<>("a deep document", Expect.EITHER, x -> x.replaceFirst("<xml>", "<xml>" + "<d>".repeat(2000) + "</d>".repeat(2000))),
          new Mutation<>("many fields", Expect.EITHER, x -> {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 100; i++) {
              many.append("<f").append(i).append(">1</f").append(i).append('>');
            }
            return x.replaceFirst("</xml>", many + "</xml>");
          }),
          new Mutation<>("a byte order mark", Expect.EITHER, x -> "\uFEFF" + x));
    }

    private List<Mutation<byte[]>> byteMutations(String xml) {
      return List.of(
          // "你好" in GBK is no UTF-8; a message in ASCII only is the same in both. One GBK cannot hold (an emoji, a
          // character XML forbids) stays in UTF-8: GBK would write it as "?".
          new Mutation<>("in GBK", gbk(xml) && xml.contains("你好") ? Expect.INVALID : Expect.EITHER,
              b -> gbk(xml) ? xml.getBytes(Charset.forName("GBK")) : b),
          new Mutation<>("in UTF-16", Expect.INVALID, b -> xml.getBytes(StandardCharsets.UTF_16)),
          new Mutation<>("an invalid UTF-8 sequence", Expect.INVALID, b -> {
            byte[][] invalid = {{(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}};
            byte[] insert = invalid[random.nextInt(invalid.length)];
            int at = random.nextInt(b.length + 1);
            byte[] out = new byte[b.length + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at, out, at + insert.length, b.length - at);
            return out;
          }),
          new Mutation<>("random bytes", Expect.INVALID, b -> {
            byte[] noise = new byte[random.nextInt(3000)];
            random.nextBytes(noise);
            return noise;
          }),
          new Mutation<>("an empty body", Expect.INVALID, b -> new byte[0]));
    }

    // ---- Helpers

    /** Up to {@code most} different mutations of {@code all}, each further one with probability {@code p}. */
    private <T> List<Mutation<T>> pick(List<Mutation<T>> all, double p, int most) {
      List<Mutation<T>> left = new ArrayList<>(all);
      List<Mutation<T>> picked = new ArrayList<>();
      while (picked.size() < most && random.nextDouble() < p) {
        picked.add(left.remove(random.nextInt(left.size())));
      }
      return picked;
    }

    private static void note(Mutation<?> m, List<String> how, List<Expect> expects) {
      note(m.name(), m.expect(), how, expects);
    }

    private static void note(String name, Expect expect, List<String> how, List<Expect> expects) {
      how.add(name);
      expects.add(expect);
    }

    private static boolean gbk(String xml) {
      return Charset.forName("GBK").newEncoder().canEncode(xml);
    }

    /** {@code what} inserted right after the root's start tag, where it is content. */
    private static String inside(String xml, String what) {
      int at = xml.indexOf("<xml>");
      return at < 0 ? what + xml : xml.substring(0, at + 5) + what + xml.substring(at + 5);
    }

    private static boolean has(List<String[]> fields, String name) {
      return fields.stream().anyMatch(f -> f[0].equals(name));
    }

    private static List<String[]> without(List<String[]> fields, String name) {
      return fields.stream().filter(f -> !f[0].equals(name)).toList();
    }

    private static List<String[]> with(List<String[]> fields, String[] field) {
      List<String[]> more = new ArrayList<>(fields);
      more.add(field);
      return more;
    }

    private static List<String[]> changed(List<String[]> fields, String name, UnaryOperator<String> change) {
      return fields.stream().map(f -> f[0].equals(name) ? pair(name, change.apply(f[1])) : f).toList();
    }

    /** The message made a click on the menu button {@code key}. */
    private static List<String[]> menuClick(List<String[]> fields, String key) {
      List<String[]> click = new ArrayList<>(fields.stream()
          .filter(f -> List.of("ToUserName", "FromUserName", "CreateTime").contains(f[0])).toList());
      click.add(pair("MsgType", "event"));
      click.add(pair("Event", "CLICK"));
      click.add(pair("EventKey", key));
      return click;
    }

    private String alnum(int length) {
      String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(letters.charAt(random.nextInt(letters.length())));
      }
      return out.toString();
    }

    private static String[] pair(String name, String value) {
      return new String[] {name, value};
    }
  }
}
