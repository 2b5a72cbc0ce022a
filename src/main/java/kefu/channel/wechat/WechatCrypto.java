package kefu.channel.wechat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kefu.config.KefuConfig;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * Checks that a request comes from WeChat, and opens and seals encrypted messages, with the account's token and
 * EncodingAESKey. The signature and sealing come from WxJava; the comparisons here take constant time.
 */
public final class WechatCrypto {
  private final String token;
  private final String appId;
  private final Optional<WxCryptUtil> aes;
  private final Optional<SecretKeySpec> aesKey;

  public WechatCrypto(KefuConfig.Wechat config) {
    this.token = config.token();
    this.appId = config.appId();
    this.aes = config.aesKey().map(key -> new WxCryptUtil(config.token(), key, config.appId()));
    this.aesKey = config.aesKey().map(key -> new SecretKeySpec(Base64.getDecoder().decode(key + "="), "AES"));
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
   * <p>Decrypted here rather than by WxJava, whose decrypt drops the app id WeChat puts after the XML instead of
   * comparing it with the account's, as WeChat's own sample code does: a message meant for another account that
   * shares the token and key must not be taken for one of ours.
   *
   * @throws WechatXmlException if no key is configured, the text does not decrypt with it, or not to UTF-8
   * @throws ForeignMessageException if the message was sealed for another app id
   */
  public String decrypt(String encrypt) {
    SecretKeySpec key = aesKey.orElseThrow(() -> new WechatXmlException("an encrypted message, but no wechat.aes-key is configured"));
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(key.getEncoded(), 0, 16));
      plain = cipher.doFinal(Base64.getDecoder().decode(encrypt));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new WechatXmlException("the message does not decrypt with the configured wechat.aes-key");
    }
    // 16 random bytes, the XML's length (4 bytes, big-endian), the XML, the app id, then PKCS#7 padding to 32 bytes.
    int padding = plain.length == 0 ? 0 : plain[plain.length - 1];
    int end = plain.length - padding;
    int length = plain.length < 20 ? -1 : ByteBuffer.wrap(plain, 16, 4).getInt();
    if (padding < 1 || padding > 32 || length < 0 || length > end - 20) {
      throw new WechatXmlException("the message does not decrypt with the configured wechat.aes-key");
    }
    String sealedFor = new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8);
    if (!sealedFor.equals(appId)) {
      throw new ForeignMessageException(sealedFor);
    }
    return WechatXml.utf8(plain, 20, length);
  }

  /** An encrypted message sealed for an app id other than the account's. */
  public static final class ForeignMessageException extends RuntimeException {
    ForeignMessageException(String appId) {
      // Named only if it is one: what a tampered message decrypts to is anybody's bytes, control characters included.
      super("the message is for another account" + (appId.matches("wx[0-9a-zA-Z]{16}") ? " (app id " + appId + ")" : ""));
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
