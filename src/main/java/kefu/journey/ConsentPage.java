package kefu.journey;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kefu.template.Templates;
import kefu.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /subscribe}: the small H5 page where a customer allows one-time subscription notices, the offer made at a
 * milestone (the link after a follow-up, or the account's menu). WeChat's open tag {@code wx-open-subscribe} shows
 * the button and the popup; the answer reaches kefu as WeChat's event, recorded by {@link Consents}, so the page
 * itself stores nothing and needs no login.
 */
public final class ConsentPage {
  private static final Logger log = LoggerFactory.getLogger(ConsentPage.class);
  /** Where the page is served. */
  public static final String PATH = "/subscribe";
  private static final String TEXTS = "journey.consent-page.";
  private static final String[] KEYS = {"title", "heading", "lead", "button", "accepted", "rejected", "outside-wechat", "not-configured"};

  /** The page's address signed for WeChat's JS-SDK (wx.config), which the open tag needs. */
  public record Signature(String appId, long timestamp, String nonce, String signature) {}

  /** Signs a page address with the account's JS-SDK ticket; blocks on WeChat's API. */
  @FunctionalInterface
  public interface Signer {
    Signature sign(String url) throws Exception;
  }

  private final Vertx vertx;
  private final Pages pages;
  private final Map<String, Object> texts = new HashMap<>();
  private final Optional<String> templateId;
  private final Optional<String> consentUrl;
  private final Signer signer;

  /**
   * @param templateId the subscription notice offered (journey.subscribe-template); empty: the page says none is
   * @param consentUrl the page's public address (journey.consent-url), signed instead of the request's when set: behind
   *     a proxy the request's is not the one the customer's WeChat shows
   */
  public ConsentPage(Vertx vertx, Pages pages, Templates templates, Optional<String> templateId, Optional<String> consentUrl,
      Signer signer) {
    this.vertx = vertx;
    this.pages = pages;
    for (String key : KEYS) {
      texts.put(key.replace("-", "_"), templates.text(TEXTS + key));
    }
    this.templateId = templateId;
    this.consentUrl = consentUrl;
    this.signer = signer;
  }

  public void routes(Router router) {
    router.get(PATH).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    String query = ctx.request().query();
    String url = consentUrl.map(u -> query == null ? u : u + "?" + query).orElse(ctx.request().absoluteURI()).replaceFirst("#.*", "");
    vertx.executeBlocking(() -> {
      Map<String, Object> model = new HashMap<>(texts);
      model.put("template", templateId.orElse(""));
      Optional<Signature> signed = Optional.empty();
      if (templateId.isPresent()) {
        try {
          signed = Optional.of(signer.sign(url));
        } catch (Exception e) {
          // Without the signature the open tag shows nothing: the page still says what it is for.
          log.warn("Consent page: the JS-SDK signature could not be made ({}); the button cannot show", e.getMessage());
        }
      }
      model.put("signed", signed.isPresent());
      model.put("app_id", signed.map(Signature::appId).orElse(""));
      model.put("timestamp", signed.map(Signature::timestamp).orElse(0L));
      model.put("nonce", signed.map(Signature::nonce).orElse(""));
      model.put("signature", signed.map(Signature::signature).orElse(""));
      return pages.render("subscribe", model);
    }, false).onSuccess(html -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html)).onFailure(ctx::fail);
  }
}
