package kefu.channel.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import kefu.channel.wechat.Nonces;
import kefu.channel.wechat.WechatCrypto;
import kefu.channel.wechat.WechatXml;
import me.chanjar.weixin.common.util.crypto.SHA1;

/**
 * Plays WeChat's part towards {@code /wechat}: writes a customer's message or event as WeChat's XML and signs it
 * (and encrypts it in safe mode) with the account's token and key, as WeChat does. Used by the simulator page, the
 * tests and the load benchmark; also opens the replies kefu sends back.
 */
public final class SimulatedWechat {
  /** The account's own id (its 原始ID), to which customers write. */
  public static final String ACCOUNT = "gh_kefusimulator";

  private final String token;
  private final WechatCrypto crypto;
  private final Clock clock;

  public SimulatedWechat(String token, WechatCrypto crypto, Clock clock) {
    this.token = token;
    this.crypto = crypto;
    this.clock = clock;
  }

  /** A request to make to /wechat: the query string with its signatures, and the body. */
  public record Request(String query, String body) {
    public JsonObject toJson() {
      return new JsonObject().put("url", "/wechat?" + query).put("body", body);
    }
  }

  /** A text message from {@code openid}. */
  public Request text(String openid, String content) {
    return message(openid, "text", Map.of("Content", content));
  }

  /**
   * A message of {@code msgType} (text, voice, image …) with these extra fields and a fresh MsgId.
   */
  public Request message(String openid, String msgType, Map<String, String> fields) {
    StringBuilder xml = head(openid, msgType);
    fields.forEach((name, value) -> field(xml, name, value));
    field(xml, "MsgId", Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE)));
    return sign(xml.append("</xml>").toString());
  }

  /** An event ({@code subscribe}, {@code unsubscribe}, {@code CLICK} with {@code key} …) from {@code openid}. */
  public Request event(String openid, String event, String key) {
    StringBuilder xml = head(openid, "event");
    field(xml, "Event", event);
    if (key != null && !key.isEmpty()) {
      field(xml, "EventKey", key);
    }
    return sign(xml.append("</xml>").toString());
  }

  /**
   * WeChat's report of mass message {@code msgId}'s result ({@code MASSSENDJOBFINISH}), from the account's mass-message
   * assistant {@code from}: sent to {@code total} followers, {@code filtered} of them filtered out.
   */
  public Request jobFinished(String from, long msgId, int total, int filtered) {
    StringBuilder xml = head(from, "event");
    field(xml, "Event", "MASSSENDJOBFINISH");
    xml.append("<MsgID>").append(msgId).append("</MsgID>");
    field(xml, "Status", "send success");
    for (Map.Entry<String, Integer> count : List.of(Map.entry("TotalCount", total), Map.entry("FilterCount", filtered),
        Map.entry("SentCount", total - filtered), Map.entry("ErrorCount", 0))) {
      xml.append('<').append(count.getKey()).append('>').append(count.getValue()).append("</").append(count.getKey()).append('>');
    }
    return sign(xml.append("</xml>").toString());
  }

  /**
   * A customer's decisions on one-time subscription notices, by template id (true: accept): the popup's answers
   * (subscribe_msg_popup_event, as a tap in an H5 page's wx-open-subscribe makes), or a change in their settings
   * (subscribe_msg_change_event).
   */
  public Request subscribeDecisions(String openid, boolean popup, Map<String, Boolean> decisions) {
    StringBuilder xml = head(openid, "event");
    field(xml, "Event", popup ? "subscribe_msg_popup_event" : "subscribe_msg_change_event");
    String list = popup ? "SubscribeMsgPopupEvent" : "SubscribeMsgChangeEvent";
    xml.append('<').append(list).append('>');
    decisions.forEach((templateId, accepted) -> {
      xml.append("<List>");
      field(xml, "TemplateId", templateId);
      field(xml, "SubscribeStatusString", accepted ? "accept" : "reject");
      if (popup) {
        // 2: the popup of an H5 page's wx-open-subscribe.
        xml.append("<PopupScene>2</PopupScene>");
      }
      xml.append("</List>");
    });
    xml.append("</").append(list).append('>');
    return sign(xml.append("</xml>").toString());
  }

  private StringBuilder head(String openid, String msgType) {
    StringBuilder xml = new StringBuilder(256).append("<xml>");
    field(xml, "ToUserName", ACCOUNT);
    field(xml, "FromUserName", openid);
    xml.append("<CreateTime>").append(clock.instant().getEpochSecond()).append("</CreateTime>");
    field(xml, "MsgType", msgType);
    return xml;
  }

  private static void field(StringBuilder xml, String name, String value) {
    xml.append('<').append(name).append("><![CDATA[").append(value.replace("]]>", "]]]]><![CDATA[>")).append("]]></").append(name).append('>');
  }

  /** Signs {@code xml} as WeChat would send it now: encrypted when a key is configured, plaintext otherwise. */
  public Request sign(String xml) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String nonce = Nonces.next();
    String query = signedQuery(timestamp, nonce) + "&openid=" + WechatXml.parse(xml).get("FromUserName");
    if (!crypto.canDecrypt()) {
      return new Request(query, xml);
    }
    String encrypt = crypto.encrypt(xml);
    String envelope = "<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
    return new Request(query + "&encrypt_type=aes&msg_signature=" + SHA1.gen(token, timestamp, nonce, encrypt), envelope);
  }

  /** A query string signed now for a plaintext message, for a load generator that writes the bodies itself. */
  public String signedQuery() {
    return signedQuery(Long.toString(clock.instant().getEpochSecond()), Nonces.next());
  }

  private String signedQuery(String timestamp, String nonce) {
    return "signature=" + SHA1.gen(token, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce;
  }

  /** The fields of a reply kefu sent back (opened first if encrypted); empty for "success". */
  public Map<String, String> open(String reply) {
    if (reply == null || reply.isBlank() || reply.equals("success")) {
      return Map.of();
    }
    Map<String, String> fields = WechatXml.parse(reply);
    return fields.containsKey("Encrypt") ? WechatXml.parse(crypto.decrypt(fields.get("Encrypt"))) : fields;
  }
}
