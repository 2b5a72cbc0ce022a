package kefu.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.dialog.Inbound;

/** Turns the fields of a WeChat message or event into what the dialogue works with. */
final class WechatInbound {
  private WechatInbound() {}

  /**
   * @param fields the message's XML fields
   * @param at when kefu received it
   * @throws WechatXmlException if a field every message has is missing
   */
  static Inbound from(Map<String, String> fields, Instant at) {
    String openid = required(fields, "FromUserName");
    String msgType = required(fields, "MsgType").toLowerCase(Locale.ROOT);
    required(fields, "CreateTime");
    Optional<String> msgId = Optional.ofNullable(fields.get("MsgId")).filter(id -> !id.isBlank());
    return switch (msgType) {
      case "text" -> new Inbound(openid, Inbound.Kind.TEXT, "text", fields.getOrDefault("Content", ""),
          Optional.ofNullable(fields.get("bizmsgmenuid")).filter(id -> !id.isBlank()), Optional.empty(), msgId, at);
      case "voice" -> {
        // WeChat often leaves the recognition empty now: then it is a sound only a person can hear.
        String recognition = fields.getOrDefault("Recognition", "").strip();
        yield new Inbound(openid, recognition.isEmpty() ? Inbound.Kind.MEDIA : Inbound.Kind.TEXT, "voice", recognition,
            Optional.empty(), Optional.empty(), msgId, at);
      }
      case "event" -> event(openid, fields, at);
      // image, video, shortvideo, file, location, link, and whatever WeChat adds: a person must look.
      default -> new Inbound(openid, Inbound.Kind.MEDIA, msgType, "", Optional.empty(), Optional.empty(), msgId, at);
    };
  }

  private static Inbound event(String openid, Map<String, String> fields, Instant at) {
    String event = required(fields, "Event").toLowerCase(Locale.ROOT);
    Inbound.Kind kind = switch (event) {
      case "subscribe" -> Inbound.Kind.SUBSCRIBE;
      case "unsubscribe" -> Inbound.Kind.UNSUBSCRIBE;
      case "click" -> Inbound.Kind.MENU_CLICK;
      default -> Inbound.Kind.OTHER_EVENT;
    };
    Optional<String> key = kind == Inbound.Kind.MENU_CLICK ? Optional.ofNullable(fields.get("EventKey")) : Optional.empty();
    // Stored as the event's message id, so that a retry after a restart, or while Redis is down, is still seen as one.
    return new Inbound(openid, kind, "event:" + event, "", Optional.empty(), key, Optional.of(eventId(fields)), at);
  }

  /** The key under which WeChat's retries of this message are recognised: its MsgId, or an event's {@link #eventId}. */
  static String retryKey(Map<String, String> fields) {
    String msgId = fields.get("MsgId");
    return "wechat:in:" + (msgId != null && !msgId.isBlank() ? msgId : eventId(fields));
  }

  /**
   * What stands for a MsgId, which events lack: {@code e} and a hash of the sender, the second the event was made and
   * the event, as WeChat advises for recognising its retries. Hashed, to keep openids out of Redis keys; never a
   * MsgId, which is a number.
   */
  static String eventId(Map<String, String> fields) {
    String who = fields.getOrDefault("FromUserName", "") + "/" + fields.getOrDefault("CreateTime", "") + "/" + fields.getOrDefault("Event", "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(who.getBytes(StandardCharsets.UTF_8));
      return "e" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String required(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null || value.isBlank()) {
      throw new WechatXmlException("no " + name);
    }
    return value;
  }
}
