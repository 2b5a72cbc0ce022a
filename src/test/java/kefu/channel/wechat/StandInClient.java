package kefu.channel.wechat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import kefu.channel.simulator.WechatStandIn;

/** What a test asks of the simulator's stand-in WeChat API: what reached it, and errors to answer with. */
public final class StandInClient {
  private final HttpClient http;
  private final String base;

  public StandInClient(HttpClient http, int port) {
    this.http = http;
    this.base = "http://127.0.0.1:" + port + WechatStandIn.PATH;
  }

  /** What was sent to {@code openid}, in order: each text message's content. */
  public List<String> texts(String openid) throws IOException, InterruptedException {
    return sent(openid).stream().map(StandInClient::text).toList();
  }

  /** Everything sent to {@code openid}: channel, openid and the API call's body, in order. */
  public List<JsonObject> sent(String openid) throws IOException, InterruptedException {
    return list("/sent?openid=" + URLEncoder.encode(openid, StandardCharsets.UTF_8));
  }

  /** Everything sent to anyone, in order. */
  public List<JsonObject> sent() throws IOException, InterruptedException {
    return list("/sent");
  }

  private List<JsonObject> list(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonArray(response.body()).stream().map(JsonObject.class::cast).toList();
  }

  /** How many access tokens the stand-in has handed out. */
  public int tokensIssued() throws IOException, InterruptedException {
    return get("/tokens").getInteger("issued");
  }

  /** The menu last pushed to the stand-in, as WeChat's menu/get answers it ({"menu": …} or an errcode). */
  public JsonObject menu() throws IOException, InterruptedException {
    String token = get("/cgi-bin/token?grant_type=client_credential").getString("access_token");
    return get("/cgi-bin/menu/get?access_token=" + token);
  }

  private JsonObject get(String path) throws IOException, InterruptedException {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The next sends are refused with these errcodes, in order. */
  public void fail(Integer... errcodes) throws IOException, InterruptedException {
    faults(errcodes);
  }

  /** The next send is carried out but its answer is lost: the connection closes first. */
  public void loseAnswer() throws IOException, InterruptedException {
    faults(WechatStandIn.LOST_ANSWER);
  }

  private void faults(Object... faults) throws IOException, InterruptedException {
    String body = new JsonObject().put("faults", new JsonArray(Arrays.asList(faults))).encode();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/faults"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204) {
      throw new IllegalStateException("stand-in refused the faults: " + response.statusCode() + " " + response.body());
    }
  }

  /** A text message's content; anything else as the call's JSON body. */
  private static String text(JsonObject sent) {
    JsonObject body = sent.getJsonObject("message");
    return "text".equals(body.getString("msgtype")) ? body.getJsonObject("text").getString("content") : body.encode();
  }
}
