package kefu.channel.wechat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kefu.config.KefuConfig;
import kefu.conversation.Article;
import kefu.dialog.Reply;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import me.chanjar.weixin.common.api.WxConsts;
import me.chanjar.weixin.common.bean.WxJsapiSignature;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.bean.WxMpMassNews;
import me.chanjar.weixin.mp.bean.WxMpMassOpenIdsMessage;
import me.chanjar.weixin.mp.bean.WxMpMassPreviewMessage;
import me.chanjar.weixin.mp.bean.WxMpMassTagMessage;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.bean.material.WxMpNewsArticle;
import me.chanjar.weixin.mp.bean.subscribe.WxMpSubscribeMessage;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateData;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateMessage;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import me.chanjar.weixin.mp.config.impl.WxMpRedisConfigImpl;
import org.apache.http.conn.ConnectTimeoutException;

/** {@link WechatApi} through WxJava, with the access token shared by every node through the coordination store. */
final class WxJavaApi implements WechatApi, MassApi {
  private final WxMpService service;
  private final Optional<Path> templatesDir;
  /** The address WeChat gave each article cover uploaded (media/uploadimg): permanent, so uploaded once per node. */
  private final Map<String, String> coverUrls = new ConcurrentHashMap<>();

  private WxJavaApi(WxMpService service, Optional<Path> templatesDir) {
    this.service = service;
    this.templatesDir = templatesDir;
  }

  /**
   * An API that sends no articles (their covers are files of the templates directory).
   *
   * @param apiHost WeChat's API host, or in simulator mode kefu's own stand-in of it
   * @param keyPrefix where the token lives in the coordination store
   */
  static WxJavaApi create(KefuConfig.Wechat config, Coordination coordination, String apiHost, String keyPrefix) {
    return create(config, coordination, apiHost, keyPrefix, Optional.empty());
  }

  /** @param templatesDir where the covers of articles sent as customer-service news messages are */
  static WxJavaApi create(KefuConfig.Wechat config, Coordination coordination, String apiHost, String keyPrefix,
      Optional<Path> templatesDir) {
    WxMpDefaultConfigImpl storage = new WxMpRedisConfigImpl(new CoordinationRedisOps(coordination), keyPrefix);
    storage.setAppId(config.appId());
    storage.setSecret(config.account().map(KefuConfig.Account::secret).orElse("simulator"));
    storage.setToken(config.token());
    config.aesKey().ifPresent(storage::setAesKey);
    if (!apiHost.equals(WxMpHostConfig.API_DEFAULT_HOST_URL)) {
      WxMpHostConfig hosts = new WxMpHostConfig();
      hosts.setApiHost(apiHost);
      // The stand-in serves the QR code pictures too, which WeChat serves from its mp host.
      hosts.setMpHost(apiHost);
      storage.setHostConfig(hosts);
    }
    WxMpServiceImpl service = new WxMpServiceImpl();
    service.setWxMpConfigStorage(storage);
    // The outbox retries with its own backoff and records each attempt; WxJava's retry would sleep on our thread.
    service.setMaxRetryTimes(0);
    return new WxJavaApi(service, templatesDir);
  }

  WxMpConfigStorage storage() {
    return service.getWxMpConfigStorage();
  }

  @Override
  public void sendService(String openid, Reply reply) throws WechatApiException {
    WxMpKefuMessage message = reply instanceof Reply.News news
        ? WxMpKefuMessage.NEWS().toUser(openid).addArticle(article(news)).build()
        : reply instanceof Reply.Choices choices
        ? WxMpKefuMessage.MSGMENU().toUser(openid)
            .headContent(choices.head())
            .msgMenus(menus(choices.choices()))
            .tailContent(choices.tail())
            .build()
        : WxMpKefuMessage.TEXT().toUser(openid).content(reply.asText()).build();
    call(() -> service.getKefuService().sendKefuMessage(message));
  }

  /**
   * A news card of the article, its cover's address asked of WeChat the first time (media/uploadimg). An upload whose
   * answer did not come leaves the message itself unsent: it goes again, the upload with it (a second upload is harmless).
   */
  private WxMpKefuMessage.WxArticle article(Reply.News news) throws WechatApiException {
    Path dir = templatesDir.orElseThrow(() -> new IllegalStateException("this API was made without the templates directory"));
    String picture = coverUrls.get(news.cover());
    if (picture == null) {
      String[] url = new String[1];
      try {
        call(() -> url[0] = service.getMaterialService().mediaImgUpload(dir.resolve(news.cover()).toFile()).getUrl());
      } catch (WechatApiException e) {
        throw e.outcomeUnknown() ? WechatApiException.neverLeft("the cover's upload got no answer: " + e.getMessage()) : e;
      }
      picture = url[0];
      coverUrls.put(news.cover(), picture);
    }
    WxMpKefuMessage.WxArticle article = new WxMpKefuMessage.WxArticle();
    article.setTitle(news.title());
    article.setDescription(news.description());
    article.setUrl(news.url());
    article.setPicUrl(picture);
    return article;
  }

  private static List<WxMpKefuMessage.MsgMenu> menus(List<Reply.Choice> choices) {
    return choices.stream().map(c -> {
      WxMpKefuMessage.MsgMenu menu = new WxMpKefuMessage.MsgMenu();
      menu.setId(c.id());
      menu.setContent(c.label());
      return menu;
    }).toList();
  }

  @Override
  public void sendTemplate(String openid, String templateId, Map<String, String> fields) throws WechatApiException {
    WxMpTemplateMessage message = WxMpTemplateMessage.builder().toUser(openid).templateId(templateId).build();
    fields.forEach((name, value) -> message.addData(new WxMpTemplateData(name, value)));
    call(() -> service.getTemplateMsgService().sendTemplateMsg(message));
  }

  @Override
  public void sendSubscribe(String openid, String templateId, Map<String, String> fields) throws WechatApiException {
    WxMpSubscribeMessage message = WxMpSubscribeMessage.builder().toUser(openid).templateId(templateId).dataMap(new LinkedHashMap<>(fields)).build();
    call(() -> service.getSubscribeMsgService().send(message));
  }

  @Override
  public WechatChannel.JsapiSignature jsapiSignature(String url) throws WechatApiException {
    WxJsapiSignature[] signed = new WxJsapiSignature[1];
    call(() -> signed[0] = service.createJsapiSignature(url));
    return new WechatChannel.JsapiSignature(signed[0].getAppId(), signed[0].getTimestamp(), signed[0].getNonceStr(), signed[0].getSignature());
  }

  @Override
  public void createMenu(String menuJson) throws WechatApiException {
    call(() -> service.getMenuService().menuCreate(menuJson));
  }

  @Override
  public String qrCodePictureUrl(String scene) throws WechatApiException {
    String[] url = new String[1];
    call(() -> url[0] = service.getQrcodeService().qrCodePictureUrl(service.getQrcodeService().qrCodeCreateLastTicket(scene).getTicket()));
    return url[0];
  }

  @Override
  public String massToList(List<String> openids, Content content, String clientMsgId) throws WechatApiException {
    WxMpMassOpenIdsMessage message = new WxMpMassOpenIdsMessage();
    message.setToUsers(List.copyOf(openids));
    message.setMsgType(content.type());
    if (content.type().equals("text")) {
      message.setContent(content.value());
    } else {
      message.setMediaId(content.value());
      message.setSendIgnoreReprint(true); // an original greeting: WeChat's reprint check has nothing to stop
    }
    message.setClientMsgId(clientMsgId);
    String[] id = new String[1];
    call(() -> id[0] = service.getMassMessageService().massOpenIdsMessageSend(message).getMsgId());
    return id[0];
  }

  @Override
  public String massToTag(long tagId, Content content, String clientMsgId) throws WechatApiException {
    WxMpMassTagMessage message = new WxMpMassTagMessage();
    message.setSendAll(false);
    message.setTagId(tagId);
    message.setMsgType(content.type());
    if (content.type().equals("text")) {
      message.setContent(content.value());
    } else {
      message.setMediaId(content.value());
      message.setSendIgnoreReprint(true);
    }
    message.setClientMsgId(clientMsgId);
    String[] id = new String[1];
    call(() -> id[0] = service.getMassMessageService().massGroupMessageSend(message).getMsgId());
    return id[0];
  }

  @Override
  public String uploadThumb(Path file) throws WechatApiException {
    String[] id = new String[1];
    call(() -> {
      WxMediaUploadResult result = service.getMaterialService().mediaUpload(WxConsts.MediaFileType.THUMB, file.toFile());
      id[0] = result.getThumbMediaId() != null ? result.getThumbMediaId() : result.getMediaId();
    });
    return id[0];
  }

  @Override
  public String uploadArticle(Article article, String thumbMediaId) throws WechatApiException {
    WxMpNewsArticle a = new WxMpNewsArticle();
    a.setTitle(article.title());
    a.setDigest(article.digest());
    a.setContent(article.content());
    a.setContentSourceUrl(article.url());
    a.setThumbMediaId(thumbMediaId);
    a.setShowCoverPic(true);
    WxMpMassNews news = new WxMpMassNews();
    news.addArticle(a);
    String[] id = new String[1];
    call(() -> id[0] = service.getMassMessageService().massNewsUpload(news).getMediaId());
    return id[0];
  }

  @Override
  public void preview(String openid, String text) throws WechatApiException {
    WxMpMassPreviewMessage message = new WxMpMassPreviewMessage();
    message.setToWxUserOpenid(openid);
    message.setMsgType("text");
    message.setContent(text);
    call(() -> service.getMassMessageService().massMessagePreview(message));
  }

  @Override
  public long createTag(String name) throws WechatApiException {
    long[] id = new long[1];
    call(() -> id[0] = service.getUserTagService().tagCreate(name).getId());
    return id[0];
  }

  @Override
  public void tag(long tagId, List<String> openids) throws WechatApiException {
    call(() -> service.getUserTagService().batchTagging(tagId, openids.toArray(String[]::new)));
  }

  @Override
  public void deleteTag(long tagId) throws WechatApiException {
    call(() -> service.getUserTagService().tagDelete(tagId));
  }

  private interface Call {
    void run() throws WxErrorException;
  }

  private static void call(Call call) throws WechatApiException {
    try {
      call.run();
    } catch (WxErrorException | RuntimeException e) {
      if (storeDown(e)) {
        // The access token lives in the coordination store (Redis): without it, no request went out.
        throw WechatApiException.neverLeft("the access token could not be read: the coordination store does not answer");
      }
      if (e instanceof WxErrorException error) {
        if (error.getCause() instanceof IOException io && !neverSent(io)) {
          // A read timeout, a dropped connection, a proxy's 502: the request may have reached WeChat.
          throw WechatApiException.outcomeUnknown("no answer from WeChat (" + io.getClass().getSimpleName() + ")");
        }
        throw new WechatApiException(error.getError().getErrorCode(), error.getError().getErrorMsg());
      }
      if (e instanceof WxRuntimeException) {
        // What WxJava throws when WeChat stays busy (-1) past its retries, or the token cannot be had.
        throw new WechatApiException(-1, e.getMessage());
      }
      // WxJava could not read the answer (not WeChat's JSON, a field missing): the call may have been carried out.
      throw WechatApiException.outcomeUnknown("WeChat's answer could not be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean storeDown(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof CoordinationException) {
        return true;
      }
    }
    return false;
  }

  /** Failures before the request left: no connection could be made, so sending again is safe. */
  private static boolean neverSent(IOException e) {
    return e instanceof ConnectException || e instanceof UnknownHostException || e instanceof ConnectTimeoutException;
  }
}
