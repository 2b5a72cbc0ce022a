package kefu.dialog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * What the bot remembers of a conversation between turns.
 *
 * @param choices the knowledge-base entries last offered, in their numbered order
 * @param awaiting the answer the bot asked for, if any ({@code rating}, {@code confirm})
 * @param fallbacks how many times in a row the bot could not answer
 * @param ticket the ticket an awaited rating rates, when the rating request followed a chat with an agent
 */
public record DialogState(List<String> choices, Optional<String> awaiting, int fallbacks, Optional<Long> ticket) {
  public static final DialogState FRESH = new DialogState(List.of(), Optional.empty(), 0, Optional.empty());
  /** What {@link #awaiting} holds while the bot waits for yes or no about the one entry it asked about. */
  static final String CONFIRM = "confirm";

  public DialogState {
    choices = List.copyOf(choices);
  }

  /** After a chat with an agent: the customer's next digit rates {@code ticketId}. */
  public static DialogState ratingOf(long ticketId) {
    return new DialogState(List.of(), Optional.of("rating"), 0, Optional.of(ticketId));
  }

  /** The number (1-based) of the offered choice a typed {@code compact} message picks: "2", "第二个", "②" within the choices. */
  public Optional<Integer> picks(String compact) {
    return Intents.choice(compact).filter(n -> n <= choices.size());
  }

  public DialogState withChoices(List<String> entryIds) {
    return new DialogState(entryIds, Optional.empty(), 0, Optional.empty());
  }

  /** The bot asked whether the customer means {@code entryId}: yes or 1 answers it. */
  public DialogState confirming(String entryId) {
    return new DialogState(List.of(entryId), Optional.of(CONFIRM), 0, Optional.empty());
  }

  public DialogState awaiting(String what) {
    return new DialogState(List.of(), Optional.of(what), fallbacks, Optional.empty());
  }

  public DialogState afterFallback() {
    return new DialogState(List.of(), Optional.empty(), fallbacks + 1, Optional.empty());
  }

  public String toJson() {
    JsonObject json = new JsonObject().put("choices", new JsonArray(choices)).put("fallbacks", fallbacks);
    awaiting.ifPresent(a -> json.put("awaiting", a));
    ticket.ifPresent(t -> json.put("ticket", t));
    return json.encode();
  }

  static DialogState fromJson(String text) {
    JsonObject json = new JsonObject(text);
    return new DialogState(
        json.getJsonArray("choices", new JsonArray()).stream().map(Object::toString).toList(),
        Optional.ofNullable(json.getString("awaiting")),
        json.getInteger("fallbacks", 0),
        Optional.ofNullable(json.getLong("ticket")));
  }
}
