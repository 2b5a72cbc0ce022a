package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kefu.cli.KefuCommand;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/** A browser's part in the desk tests, over plain HTTP: an agent's session cookie, pages, form posts, the live socket. */
final class DeskClient {
  static final String PASSWORD = "correct-horse-battery";
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final int port;

  DeskClient(int port) {
    this.port = port;
  }

  /** A kefu.yaml in {@code dir} naming the database at {@code dbUrl}, for {@code kefu user add}. */
  static Path configFile(Path dir, String dbUrl) throws IOException {
    return Files.writeString(dir.resolve("kefu.yaml"), "db:\n  url: \"" + dbUrl + "\"\n");
  }

  /** Adds a console user with {@link #PASSWORD} through {@code kefu user add}, on the database {@code configFile} names. */
  static void addUser(Path configFile, String login, String name, String role) {
    assertThat(kefu(new StringWriter(), "user", "add", "--login", login, "--name", name, "--role", role,
        "--password=" + PASSWORD, "--config", configFile.toString())).isEqualTo(0);
  }

  static int kefu(StringWriter err, String... args) {
    return new CommandLine(new KefuCommand()).setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true)).execute(args);
  }

  /** A logged-in agent: the session cookie and the CSRF token its forms carry. */
  record Session(String cookie, String csrf) {}

  Session logIn(String login) throws Exception {
    HttpResponse<String> response = logInWith(login, PASSWORD);
    assertThat(response.statusCode()).as("login of %s", login).isEqualTo(303);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> desk = get("/desk", cookie);
    // Marketing staff's console opens on their page.
    return new Session(cookie, csrf(desk.statusCode() == 303 ? get(desk.headers().firstValue("Location").orElseThrow(), cookie).body() : desk.body()));
  }

  /** Opens the login page, as a browser does, and posts its form with the token it carries. */
  HttpResponse<String> logInWith(String login, String password) throws Exception {
    HttpResponse<String> page = get("/desk/login", null);
    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    return post("/desk/login", setCookie.substring(0, setCookie.indexOf(';')),
        Map.of("login", login, "password", password, "_csrf", csrf(page.body())));
  }

  /** Fills in the login form on the browser's page as {@code login} and waits for the console. */
  static void logIn(WebDriver browser, WebDriverWait wait, String base, String login) {
    browser.findElement(By.id("login-name")).sendKeys(login);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("#login button")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/desk"));
  }

  static String csrf(String page) {
    Matcher m = CSRF.matcher(page);
    assertThat(m.find()).as("the page carries a CSRF token").isTrue();
    return m.group(1);
  }

  HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A form post as the session's own page makes it, with its CSRF token. */
  HttpResponse<String> post(String path, Session session, Map<String, String> form) throws Exception {
    Map<String, String> withToken = new HashMap<>(form);
    withToken.put("_csrf", session.csrf());
    return post(path, session.cookie(), withToken);
  }

  HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws Exception {
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * Opens the console's live socket as a page of the console would, and waits until it is registered; its events
   * arrive in {@link Live#next}.
   */
  Live live(Session session) throws Exception {
    Live live = open(session.cookie(), "http://127.0.0.1:" + port);
    assertThat(live.next().getString("type")).isEqualTo("ready");
    return live;
  }

  /** Opens the live socket with {@code cookie} from a page of {@code origin}, without waiting for it to be ready. */
  Live open(String cookie, String origin) throws Exception {
    Live live = new Live();
    live.socket = http.newWebSocketBuilder().header("Cookie", cookie).header("Origin", origin)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/desk/live"), live).get(20, TimeUnit.SECONDS);
    return live;
  }

  /** A console's socket, collecting the events it receives in order; its closing arrives as {"type":"closed","code":…}. */
  static final class Live implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        events.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add(new JsonObject().put("type", "closed").put("code", statusCode).encode());
      return null;
    }

    /** The next event, waiting up to 20 s for it. */
    JsonObject next() throws InterruptedException {
      String event = events.poll(20, TimeUnit.SECONDS);
      assertThat(event).as("a desk event within 20 s").isNotNull();
      return new JsonObject(event);
    }

    @Override
    public void close() {
      if (socket.isInputClosed()) {
        socket.abort(); // the server closed it
      } else {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
      }
    }
  }
}
