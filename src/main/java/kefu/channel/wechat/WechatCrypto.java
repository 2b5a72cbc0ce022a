package kefu.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import kefu.config.KefuConfig;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * Checks that a request comes from WeChat, and opens and seals encrypted messages, with the account's token and
 * EncodingAESKey. The signature and AES come from WxJava; the comparisons here take constant time.
 */
public final class WechatCrypto {
  private final String token;
  private final Optional<WxCryptUtil> aes;

  public WechatCrypto(KefuConfig.Wechat config) {
    this.token = config.token();
    this.aes = config.aesKey().map(key -> new WxCryptUtil(config.token(), key, config.appId()));
  }

  /** Whether {@code signature} signs the timestamp and nonce (URL verification, and every message). */
  public boolean signed(String signature, String timestamp, String nonce) {
    return matches(signature, token, timestamp, nonce);
  }

  /** Whether {@code msgSignature} signs the encrypted message {@code encrypt} (compatible and safe modes). */
  public boolean messageSigned(String msgSignature, String timestamp, String nonce, String encrypt) {
    return matches(msgSignature, token, timestamp, nonce, encrypt);
  }

  private static boolean matches(String signature, String... parts) {
    for (String part : parts) {
      if (part == null || part.isEmpty()) {
        return false;
      }
    }
    if (signature == null) {
      return false;
    }
    return MessageDigest.isEqual(SHA1.gen(parts).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether encrypted messages can be read: an EncodingAESKey is configured. */
  public boolean canDecrypt() {
    return aes.isPresent();
  }

  /**
   * The XML inside an encrypted message.
   *
   * @throws WechatXmlException if no key is configured or the text does not decrypt with it
   */
  public String decrypt(String encrypt) {
    try {
      return aes.orElseThrow(() -> new WechatXmlException("an encrypted message, but no wechat.aes-key is configured")).decrypt(encrypt);
    } catch (WxRuntimeException | IllegalArgumentException e) {
      throw new WechatXmlException("the message does not decrypt with the configured wechat.aes-key");
    }
  }

  /** {@code xml} encrypted as WeChat encrypts a message (for the simulator, which plays WeChat's part). */
  public String encrypt(String xml) {
    return aes.orElseThrow(() -> new IllegalStateException("no wechat.aes-key")).encrypt(Nonces.next(), xml);
  }

  /** {@code xml} encrypted and signed as WeChat expects a reply in the encrypted modes. */
  public String seal(String xml) {
    WxCryptUtil.EncryptContext sealed = aes.orElseThrow(() -> new IllegalStateException("no wechat.aes-key")).encryptContext(xml);
    return WechatXml.encrypted(sealed.getEncrypt(), sealed.getSignature(), sealed.getTimeStamp(), sealed.getNonce());
  }
}
