package kefu.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Message;
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
    if (msgType.equals("event")) {
      String type = "event:" + required(fields, "Event").toLowerCase(Locale.ROOT);
      Inbound.Kind kind = kind(type, "");
      Optional<String> key = kind == Inbound.Kind.MENU_CLICK ? Optional.ofNullable(fields.get("EventKey")) : Optional.empty();
      // Stored as the event's message id, so that a retry after a restart, or while Redis is down, is still seen as one.
      return new Inbound(openid, kind, type, "", Optional.empty(), key, Optional.of(eventId(fields)), at);
    }
    // WeChat often leaves a voice message's recognition empty now: then it is a sound only a person can hear.
    String text = msgType.equals("text") ? fields.getOrDefault("Content", "") : fields.getOrDefault("Recognition", "").strip();
    Optional<String> choice = msgType.equals("text")
        ? Optional.ofNullable(fields.get("bizmsgmenuid")).filter(id -> !id.isBlank()) : Optional.empty();
    Optional<String> msgId = Optional.ofNullable(fields.get("MsgId")).filter(id -> !id.isBlank());
    return new Inbound(openid, kind(msgType, text), msgType, text, choice, Optional.empty(), msgId, at);
  }

  /**
   * A stored message from the customer as it came, for a turn resumed after a restart: a menu click's key and a
   * tapped choice's id are not stored, so they come back without them.
   */
  static Inbound stored(String openid, Message message) {
    String text = message.text().orElse("");
    return new Inbound(openid, kind(message.type(), text), message.type(), text, Optional.empty(), Optional.empty(),
        message.wechatMsgId(), message.createdAt());
  }

  /** What the dialogue makes of a message of {@code type} (text, voice, event:subscribe …) with {@code text}. */
  private static Inbound.Kind kind(String type, String text) {
    return switch (type) {
      case "text" -> Inbound.Kind.TEXT;
      case "voice" -> text.isEmpty() ? Inbound.Kind.MEDIA : Inbound.Kind.TEXT;
      case "event:subscribe" -> Inbound.Kind.SUBSCRIBE;
      case "event:unsubscribe" -> Inbound.Kind.UNSUBSCRIBE;
      case "event:click" -> Inbound.Kind.MENU_CLICK;
      // image, video, shortvideo, file, location, link, and whatever WeChat adds: a person must look.
      default -> type.startsWith("event:") ? Inbound.Kind.OTHER_EVENT : Inbound.Kind.MEDIA;
    };
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
