package kefu.channel.wechat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.dialog.Reply;

/**
 * A row of the outbox: one outbound message to one customer and where its delivery stands.
 *
 * @param reply what to send
 * @param attempts calls made so far
 * @param route the one way it may go, when its sender chose it; empty: as {@link DeliveryPolicy} judges
 * @param templateId the subscription notice's template, for the route {@link Channel#SUBSCRIBE}
 */
record OutboxMessage(long id, long customerId, long messageId, Reply reply, Status status, int attempts, Instant createdAt,
    Optional<Channel> route, Optional<String> templateId) {

  enum Status { PENDING, HELD, SENDING, SENT, FAILED, UNDELIVERABLE, UNKNOWN }

  enum Channel { REPLY, SERVICE, TEMPLATE, SUBSCRIBE }

  @Override
  public String toString() {
    return "OutboxMessage#" + id + "[Customer#" + customerId + ", " + status + "]";
  }

  static String kind(Reply reply) {
    return reply instanceof Reply.Choices ? "menu" : reply instanceof Reply.News ? "news" : "text";
  }

  static String payload(Reply reply) {
    JsonObject json = new JsonObject().put("text", reply.asText());
    if (reply instanceof Reply.Choices choices) {
      JsonArray items = new JsonArray();
      choices.choices().forEach(c -> items.add(new JsonObject().put("id", c.id()).put("label", c.label())));
      json.put("head", choices.head()).put("choices", items).put("tail", choices.tail());
    } else if (reply instanceof Reply.News news) {
      json.put("title", news.title()).put("description", news.description()).put("url", news.url()).put("cover", news.cover());
    }
    return json.encode();
  }

  static Reply reply(String kind, String payload) {
    JsonObject json = new JsonObject(payload);
    if (kind.equals("news")) {
      return new Reply.News(json.getString("title"), json.getString("description"), json.getString("url"), json.getString("cover"));
    }
    if (!kind.equals("menu")) {
      return new Reply.Text(json.getString("text"));
    }
    List<Reply.Choice> choices = json.getJsonArray("choices").stream()
        .map(JsonObject.class::cast)
        .map(c -> new Reply.Choice(c.getString("id"), c.getString("label")))
        .toList();
    return new Reply.Choices(json.getString("head"), choices, json.getString("tail"), json.getString("text"));
  }
}
