package kefu.channel.simulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's media for articles (图文), with WeChat's rules: a cover uploaded as a thumb (media/upload, type thumb, a
 * JPEG of at most 64 KB) or as a picture for a news card (media/uploadimg, which answers its address), and an article
 * uploaded for mass messages (media/uploadnews), which must name a thumb it knows. The pictures are served back so that
 * the simulator shows them.
 */
final class ArticleStandIn {
  /** WeChat's largest thumb. */
  static final int MOST_THUMB_BYTES = 64 * 1024;
  /** WeChat's largest upload (a picture for articles takes 1 MB, other media up to 10 MB). */
  static final int MOST_UPLOAD_BYTES = 10 * 1024 * 1024;
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  private final WechatStandIn standIn;
  private final Clock clock;
  private final Map<String, byte[]> pictures = new HashMap<>();
  private final Map<String, JsonArray> articles = new HashMap<>();
  private long next;

  ArticleStandIn(WechatStandIn standIn, Clock clock) {
    this.standIn = standIn;
    this.clock = clock;
  }

  void routes(Router router) {
    String path = WechatStandIn.PATH + "/cgi-bin/media";
    // Files come as multipart/form-data, which the service's own body handling leaves out (it takes no uploads): these
    // two read the request themselves, before it.
    router.post(path + "/upload").order(-1).handler(ctx -> withFile(ctx, this::upload));
    router.post(path + "/uploadimg").order(-1).handler(ctx -> withFile(ctx, this::uploadPicture));
    router.post(path + "/uploadnews").handler(this::uploadArticle);
    // Not WeChat's: the pictures uploaded, for the simulator page.
    router.get(WechatStandIn.PATH + "/media/:id").handler(this::picture);
  }

  private void withFile(RoutingContext ctx, BiConsumer<RoutingContext, Optional<byte[]>> handler) {
    String length = ctx.request().getHeader("Content-Length");
    if (length == null || !length.matches("\\d{1,8}") || Integer.parseInt(length) > MOST_UPLOAD_BYTES) {
      ctx.response().setStatusCode(413).end(); // WeChat takes at most 10 MB, its length given
      return;
    }
    ctx.request().body().onSuccess(body -> handler.accept(ctx, file(ctx.request().getHeader("Content-Type"), body)))
        .onFailure(e -> ctx.response().setStatusCode(400).end());
  }

  /** media/upload: only thumbs are asked for by kefu. */
  private void upload(RoutingContext ctx, Optional<byte[]> file) {
    if (!standIn.authorised(ctx)) {
      return;
    }
    String type = ctx.queryParams().get("type");
    if (!"thumb".equals(type)) {
      ctx.json(WechatStandIn.error(40004, "invalid media type"));
    } else if (file.isEmpty() || file.get().length == 0) {
      ctx.json(WechatStandIn.error(41005, "media data missing"));
    } else if (file.get().length > MOST_THUMB_BYTES) {
      ctx.json(WechatStandIn.error(40006, "invalid meida size"));
    } else {
      String id = keep("thumb", file.get());
      ctx.json(new JsonObject().put("type", "thumb").put("thumb_media_id", id).put("created_at", clock.instant().getEpochSecond()));
    }
  }

  /** media/uploadimg: a picture for articles and news cards; its address, served here. */
  private void uploadPicture(RoutingContext ctx, Optional<byte[]> file) {
    if (!standIn.authorised(ctx)) {
      return;
    }
    if (file.isEmpty() || file.get().length == 0) {
      ctx.json(WechatStandIn.error(41005, "media data missing"));
      return;
    }
    String id = keep("img", file.get());
    ctx.json(new JsonObject().put("url", "http://" + ctx.request().authority() + WechatStandIn.PATH + "/media/" + id));
  }

  /** media/uploadnews: each article needs a title, content and a thumb uploaded before. */
  private void uploadArticle(RoutingContext ctx) {
    if (!standIn.authorised(ctx)) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    JsonArray list = body == null ? new JsonArray() : body.getJsonArray("articles", new JsonArray());
    JsonArray shown = new JsonArray();
    synchronized (this) {
      for (Object item : list) {
        JsonObject a = (JsonObject) item;
        String thumb = a.getString("thumb_media_id", "");
        if (!pictures.containsKey(thumb)) {
          ctx.json(WechatStandIn.error(40007, "invalid media_id"));
          return;
        }
        if (a.getString("title", "").isBlank() || a.getString("content", "").isBlank()) {
          ctx.json(WechatStandIn.error(44003, "empty news data"));
          return;
        }
        shown.add(a.copy().put("cover", WechatStandIn.PATH + "/media/" + thumb));
      }
      if (shown.isEmpty() || shown.size() > 8) {
        ctx.json(WechatStandIn.error(45008, "article size out of limit"));
        return;
      }
      String id = "sim-news-" + ++next;
      articles.put(id, shown);
      ctx.json(new JsonObject().put("type", "news").put("media_id", id).put("created_at", clock.instant().getEpochSecond()));
    }
  }

  /** The articles uploaded as {@code mediaId}, each with the address of its cover here; empty if there is no such upload. */
  synchronized Optional<JsonArray> articles(String mediaId) {
    return Optional.ofNullable(articles.get(mediaId)).map(JsonArray::copy);
  }

  private void picture(RoutingContext ctx) {
    byte[] bytes;
    synchronized (this) {
      bytes = pictures.get(ctx.pathParam("id"));
    }
    if (bytes == null) {
      ctx.response().setStatusCode(404).end();
    } else {
      ctx.response().putHeader("Content-Type", "image/jpeg").end(Buffer.buffer(bytes));
    }
  }

  private synchronized String keep(String kind, byte[] bytes) {
    String id = "sim-" + kind + "-" + ++next;
    pictures.put(id, bytes);
    return id;
  }

  /** The file of a multipart/form-data upload (WeChat's field media): the first part's bytes. */
  private static Optional<byte[]> file(String contentType, Buffer request) {
    Matcher m = BOUNDARY.matcher(Optional.ofNullable(contentType).orElse(""));
    if (!m.find()) {
      return Optional.empty();
    }
    byte[] body = request.getBytes();
    byte[] delimiter = ("\r\n--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    int headers = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    if (headers < 0) {
      return Optional.empty();
    }
    int start = headers + 4;
    int end = indexOf(body, delimiter, start);
    return end < 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(body, start, end));
  }

  private static int indexOf(byte[] data, byte[] part, int from) {
    outer:
    for (int i = from; i <= data.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
