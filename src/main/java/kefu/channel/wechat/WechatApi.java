package kefu.channel.wechat;

import java.util.Map;
import kefu.dialog.Reply;

/** The calls kefu makes to WeChat's API. Every call blocks on the network: make them on worker threads. */
interface WechatApi {

  /** Sends a customer-service message: text, or choices as a clickable menu message (msgmenu). */
  void sendService(String openid, Reply reply) throws WechatApiException;

  /** Sends the template message {@code templateId} with these {@code fields}, each by its name in the template. */
  void sendTemplate(String openid, String templateId, Map<String, String> fields) throws WechatApiException;

  /**
   * Sends the one-time subscription notice {@code templateId} (bizsend) with these {@code fields}; WeChat refuses it
   * (43101) unless the customer allowed one that is not used yet.
   */
  void sendSubscribe(String openid, String templateId, Map<String, String> fields) throws WechatApiException;

  /** Replaces the account's custom menu with {@code menuJson}, WeChat's menu/create body. */
  void createMenu(String menuJson) throws WechatApiException;

  /** {@code url} signed with the account's JS-SDK ticket, for an H5 page's wx.config. */
  WechatChannel.JsapiSignature jsapiSignature(String url) throws WechatApiException;

  /** The address of the picture of the permanent QR code with {@code scene}, made for it now or before. */
  String qrCodePictureUrl(String scene) throws WechatApiException;
}
