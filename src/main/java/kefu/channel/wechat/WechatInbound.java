package kefu.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Message;
import kefu.dialog.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the fields of a WeChat message or event into what the dialogue works with. */
final class WechatInbound {
  private static final Logger log = LoggerFactory.getLogger(WechatInbound.class);
  /** customers.openid; WeChat's openids have 28 characters. */
  static final int MAX_OPENID = 64;
  /** messages.type, which holds the MsgType, or "event:" and the event. */
  static final int MAX_TYPE = 64;
  /** messages.wechat_msg_id; WeChat's MsgIds are 64-bit numbers. */
  static final int MAX_MSG_ID = 64;
  /** messages.text: a longer text is cut to it. */
  static final int MAX_TEXT = 20_000;
  /** WeChat's limit on a menu button's key, in bytes. */
  static final int MAX_MENU_KEY_BYTES = 128;

  private static final String SCAN = "event:scan";
  /** What WeChat puts before the scene of a QR code a customer followed the account through. */
  private static final String FOLLOWED_THROUGH = "qrscene_";

  private WechatInbound() {}

  /** The scene of the parametric QR code the event came through: a SCAN, or a subscribe from a code. */
  static Optional<String> scene(Inbound in) {
    if (in.type().equals(SCAN)) {
      return in.menuKey();
    }
    return in.kind() == Inbound.Kind.SUBSCRIBE
        ? in.menuKey().filter(k -> k.startsWith(FOLLOWED_THROUGH)).map(k -> k.substring(FOLLOWED_THROUGH.length())) : Optional.empty();
  }

  /**
   * What WeChat sent, checked against what kefu stores: nothing WeChat sends is longer than the columns, so a longer
   * field is refused here rather than by the database, whose error would quote it.
   *
   * @param fields the message's XML fields
   * @param at when kefu received it
   * @throws WechatXmlException if a field every message has is missing, or a field is longer than WeChat makes it
   */
  static Inbound from(Map<String, String> fields, Instant at) {
    String openid = bounded("FromUserName", required(fields, "FromUserName"), MAX_OPENID);
    String msgType = bounded("MsgType", required(fields, "MsgType").toLowerCase(Locale.ROOT), MAX_TYPE);
    required(fields, "CreateTime");
    if (msgType.equals("event")) {
      String type = bounded("Event", "event:" + required(fields, "Event").toLowerCase(Locale.ROOT), MAX_TYPE);
      Inbound.Kind kind = kind(type, "");
      // A menu button's key, or the scene of the QR code scanned (SCAN) or followed through (subscribe).
      Optional<String> key = kind == Inbound.Kind.MENU_CLICK ? Optional.ofNullable(fields.get("EventKey"))
          : kind == Inbound.Kind.SUBSCRIBE || type.equals(SCAN) ? Optional.ofNullable(fields.get("EventKey"))
              .filter(k -> !k.isBlank() && k.getBytes(StandardCharsets.UTF_8).length <= MAX_MENU_KEY_BYTES)
          : Optional.empty();
      if (key.filter(k -> k.getBytes(StandardCharsets.UTF_8).length > MAX_MENU_KEY_BYTES).isPresent()) {
        throw new WechatXmlException("EventKey longer than a menu key's " + MAX_MENU_KEY_BYTES + " bytes");
      }
      // Stored as the event's message id, so that a retry after a restart, or while Redis is down, is still seen as one.
      return new Inbound(openid, kind, type, "", Optional.empty(), key, Optional.of(eventId(fields)), at);
    }
    // WeChat often leaves a voice message's recognition empty now: then it is a sound only a person can hear.
    String text = msgType.equals("text") ? fields.getOrDefault("Content", "") : fields.getOrDefault("Recognition", "").strip();
    Optional<String> choice = msgType.equals("text")
        ? Optional.ofNullable(fields.get("bizmsgmenuid")).filter(id -> !id.isBlank()) : Optional.empty();
    Optional<String> msgId = Optional.ofNullable(fields.get("MsgId")).filter(id -> !id.isBlank())
        .map(id -> bounded("MsgId", id, MAX_MSG_ID));
    return new Inbound(openid, kind(msgType, text), msgType, cut(text, msgId), choice, Optional.empty(), msgId, at);
  }

  private static String bounded(String field, String value, int max) {
    if (value.length() > max) {
      throw new WechatXmlException(field + " longer than " + max + " characters");
    }
    return value;
  }

  /** {@code text} as stored: cut to {@link #MAX_TEXT}, never inside a character. */
  private static String cut(String text, Optional<String> msgId) {
    if (text.length() <= MAX_TEXT) {
      return text;
    }
    log.info("A WeChat text of {} characters is stored cut to {}{}", text.length(), MAX_TEXT, msgId.map(id -> " (MsgId " + id + ")").orElse(""));
    return text.substring(0, Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT);
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

  /**
   * The decisions a subscription event carries, one per template: the popup's (subscribe_msg_popup_event) or a change
   * in the customer's settings (subscribe_msg_change_event); none for anything else. An entry without a template id,
   * or with another status than accept or reject, is not a decision and is left out.
   */
  static List<SubscribeDecisions.Decision> decisions(Map<String, String> fields) {
    String event = fields.getOrDefault("Event", "").toLowerCase(Locale.ROOT);
    boolean popup = event.equals("subscribe_msg_popup_event");
    if (!popup && !event.equals("subscribe_msg_change_event")) {
      return List.of();
    }
    List<SubscribeDecisions.Decision> decisions = new ArrayList<>();
    for (int n = 0; fields.containsKey(WechatXml.listEntry(n) + "TemplateId"); n++) {
      String templateId = fields.get(WechatXml.listEntry(n) + "TemplateId").strip();
      String status = fields.getOrDefault(WechatXml.listEntry(n) + "SubscribeStatusString", "").strip();
      if (templateId.matches("[A-Za-z0-9_-]{1,64}") && (status.equals("accept") || status.equals("reject"))) {
        decisions.add(new SubscribeDecisions.Decision(templateId, popup, status.equals("accept")));
      }
    }
    return decisions;
  }

  /** The key under which WeChat's retries of this message are recognised: its MsgId, or an event's {@link #eventId}. */
  static String retryKey(Map<String, String> fields) {
    String msgId = fields.get("MsgId");
    return "wechat:in:" + (msgId != null && !msgId.isBlank() ? msgId : eventId(fields));
  }

  /**
   * What stands for a MsgId, which events lack: {@code e} and a hash of the sender, the second the event was made and
   * the event, as WeChat advises for recognising its retries, and its key: two menu buttons pressed within one second
   * (退订 then 恢复) are two events, where a retry repeats the key too. Hashed, to keep openids out of Redis keys; never
   * a MsgId, which is a number.
   */
  static String eventId(Map<String, String> fields) {
    String who = fields.getOrDefault("FromUserName", "") + "/" + fields.getOrDefault("CreateTime", "") + "/" + fields.getOrDefault("Event", "")
        + "/" + fields.getOrDefault("EventKey", "");
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
