package kefu.customer;

/**
 * The picture of a parametric QR code (WeChat's permanent QR code with a scene string): scanned or followed through,
 * WeChat tells kefu the scene with the follower's openid. Calls WeChat: blocks, call it on a worker.
 */
@FunctionalInterface
public interface QrCodes {
  /** What the console shows when there is no WeChat to ask. */
  QrCodes NONE = scene -> {
    throw new Unavailable("no WeChat account to make QR codes with");
  };

  /** The picture of the QR code of {@code scene}, as WeChat serves it. */
  Picture picture(String scene) throws Unavailable;

  /** An image and its media type. */
  record Picture(String contentType, byte[] bytes) {}

  /** WeChat did not make or give the picture. */
  final class Unavailable extends Exception {
    public Unavailable(String message) {
      super(message);
    }
  }
}
