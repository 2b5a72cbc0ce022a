package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kefu.TestNode;
import org.junit.jupiter.api.Test;

/** Opening encrypted messages: the app id is checked, and a plaintext that lies about its length is refused. */
class WechatCryptoTest {
  private static final String APP_ID = "wxkefu0000000001";
  private final WechatCrypto crypto = WechatWebhookTest.crypto(TestNode.TOKEN, TestNode.AES_KEY, APP_ID);

  @Test
  void opensWhatWasSealedForTheAccount() throws Exception {
    assertThat(crypto.decrypt(seal(plain("<xml><Content>你好</Content></xml>", APP_ID, 0)))).isEqualTo("<xml><Content>你好</Content></xml>");
  }

  @Test
  void refusesAMessageSealedForAnotherAppId() throws Exception {
    assertThatThrownBy(() -> crypto.decrypt(seal(plain("<xml/>", "wx0000someoneelse0", 0))))
        .isInstanceOf(WechatCrypto.ForeignMessageException.class).hasMessageContaining("wx0000someoneelse0");
  }

  @Test
  void namesAnotherAppIdOnlyIfItIsOne() throws Exception {
    // Proves what a tampered message decrypts to never reaches the log line: not an app id, it is not quoted.
    assertThatThrownBy(() -> crypto.decrypt(seal(plain("<xml/>", "wx\u0000\n" + "x".repeat(300), 0))))
        .isInstanceOf(WechatCrypto.ForeignMessageException.class).hasMessage("the message is for another account");
  }

  @Test
  void refusesTextThatIsNotUtf8() throws Exception {
    // Proves the decrypted XML is read as strict UTF-8: GBK inside is refused, not stored as mojibake.
    byte[] plain = plain("<xml>AB</xml>", APP_ID, 0);
    plain[25] = (byte) 0xC4;
    plain[26] = (byte) 0xE3;
    assertThatThrownBy(() -> crypto.decrypt(seal(plain))).isInstanceOf(WechatXmlException.class).hasMessage("not UTF-8");
  }

  @Test
  void refusesALengthThatDoesNotFitOrCiphertextThatIsNotAes() throws Exception {
    for (int lie : new int[] {Integer.MAX_VALUE, -1, 1000}) {
      String sealed = seal(plain("<xml/>", APP_ID, lie));
      assertThatThrownBy(() -> crypto.decrypt(sealed)).as("length %d", lie).isInstanceOf(WechatXmlException.class);
    }
    assertThatThrownBy(() -> crypto.decrypt("not base64 at all!")).isInstanceOf(WechatXmlException.class);
    assertThatThrownBy(() -> crypto.decrypt(Base64.getEncoder().encodeToString(new byte[5]))).isInstanceOf(WechatXmlException.class);
  }

  /** WeChat's layout: 16 random bytes, the XML's length, the XML, the app id, PKCS#7 padding to 32 bytes. */
  private static byte[] plain(String xml, String appId, int lengthOverride) {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    byte[] app = appId.getBytes(StandardCharsets.UTF_8);
    int size = 20 + body.length + app.length;
    int padding = 32 - size % 32;
    ByteBuffer buffer = ByteBuffer.allocate(size + padding);
    buffer.put(new byte[16]).putInt(lengthOverride == 0 ? body.length : lengthOverride).put(body).put(app);
    byte[] pad = new byte[padding];
    Arrays.fill(pad, (byte) padding);
    return buffer.put(pad).array();
  }

  private static String seal(byte[] plain) throws Exception {
    byte[] key = Base64.getDecoder().decode(TestNode.AES_KEY + "=");
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
    return Base64.getEncoder().encodeToString(cipher.doFinal(plain));
  }
}
