package kefu.channel.wechat;

import java.security.SecureRandom;

/** Random strings of 16 letters and digits, as WeChat uses for nonces and the AES padding prefix. */
public final class Nonces {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Nonces() {}

  public static String next() {
    char[] out = new char[16];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }
}
