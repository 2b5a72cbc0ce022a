package kefu.channel.wechat;

import io.vertx.core.json.JsonObject;
import kefu.conversation.Article;

/** An article of a mass message as it is kept with the send (mass_sends.article), and read back to be sent. */
final class MassArticles {
  private MassArticles() {}

  static String json(Article article) {
    return new JsonObject().put("title", article.title()).put("digest", article.digest()).put("content", article.content())
        .put("url", article.url()).put("cover", article.cover()).encode();
  }

  static Article read(String json) {
    JsonObject a = new JsonObject(json);
    return new Article(a.getString("title"), a.getString("digest"), a.getString("content"), a.getString("url"), a.getString("cover"));
  }
}
