package kefu.channel.wechat;

/** XML from WeChat (or posing as WeChat) that kefu will not read. The message never contains the document. */
public final class WechatXmlException extends RuntimeException {
  public WechatXmlException(String message) {
    super(message);
  }
}
