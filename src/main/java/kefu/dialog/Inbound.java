package kefu.dialog;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing a customer did in a channel, as the dialogue sees it: a message or an event.
 *
 * @param openid who did it
 * @param kind what it was
 * @param type the channel's own name for it, stored with the message (text, voice, image, event:subscribe …)
 * @param text what the customer wrote (or said, recognised); empty for media and events
 * @param choice the id of the offered choice the customer tapped, if any
 * @param menuKey the key of the menu button clicked, for {@link Kind#MENU_CLICK}
 * @param channelMessageId the channel's id of the message, for de-duplication in storage (for a WeChat event, one made of its fields)
 * @param at when the channel says it happened
 */
public record Inbound(String openid, Kind kind, String type, String text, Optional<String> choice, Optional<String> menuKey,
    Optional<String> channelMessageId, Instant at) {

  /** What the dialogue does with an inbound thing depends only on its kind. */
  public enum Kind {
    /** Something written or said: the dialogue answers it. */
    TEXT,
    /** An image, a file, a video, a location, a link or a voice message without recognition: a person must look. */
    MEDIA,
    SUBSCRIBE,
    UNSUBSCRIBE,
    MENU_CLICK,
    /** Anything else the channel reports (a menu link opened, a location report …): stored, not answered. */
    OTHER_EVENT
  }

  /** A message the customer wrote. */
  public static Inbound text(String openid, String text, String messageId, Instant at) {
    return new Inbound(openid, Kind.TEXT, "text", text, Optional.empty(), Optional.empty(), Optional.ofNullable(messageId), at);
  }

  /** Whether it counts as the customer's message (opening the customer-service window), not an event. */
  public boolean isMessage() {
    return kind == Kind.TEXT || kind == Kind.MEDIA;
  }

  @Override
  public String toString() {
    return "Inbound[" + type + channelMessageId.map(id -> " " + id).orElse("") + "]";
  }
}
