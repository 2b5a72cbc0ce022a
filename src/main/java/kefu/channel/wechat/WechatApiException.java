package kefu.channel.wechat;

import java.util.Set;

/**
 * A call WeChat refused, that did not reach it, or whose outcome is unknown. {@link #code()} is WeChat's errcode, or
 * {@link #NETWORK} when no answer came.
 */
final class WechatApiException extends Exception {
  /** No answer (WxJava's code for it): the connection failed, or broke off after the request went out. */
  static final int NETWORK = -99;
  /** -1 system busy; 45011 too many calls this minute; 40001/42001 the access token was refreshed meanwhile. */
  private static final Set<Integer> TRANSIENT = Set.of(NETWORK, -1, 45011, 40001, 42001);

  private final int code;
  private final boolean outcomeUnknown;
  private final boolean neverLeft;

  WechatApiException(int code, String message) {
    this(code, message, false, false);
  }

  private WechatApiException(int code, String message, boolean outcomeUnknown, boolean neverLeft) {
    super(message);
    this.code = code;
    this.outcomeUnknown = outcomeUnknown;
    this.neverLeft = neverLeft;
  }

  /** The request went out but no readable answer came back: WeChat may have carried it out. */
  static WechatApiException outcomeUnknown(String why) {
    return new WechatApiException(NETWORK, why, true, false);
  }

  /**
   * The request never left, for want of something of kefu's own (the access token, kept in the coordination store):
   * no attempt of WeChat's was used, and the message waits until kefu has it again.
   */
  static WechatApiException neverLeft(String why) {
    return new WechatApiException(NETWORK, why, false, true);
  }

  /** Whether the call stopped before it left kefu: see {@link #neverLeft(String)}. */
  boolean neverLeft() {
    return neverLeft;
  }

  int code() {
    return code;
  }

  /**
   * Whether the same call may succeed later. Permanent ones include 43004 (unfollowed), 45015 (outside the
   * 48-hour window) and 45047 (over the per-customer limit): retrying them only repeats the refusal.
   */
  boolean isTransient() {
    return !outcomeUnknown && TRANSIENT.contains(code);
  }

  /** Whether WeChat may have carried the call out: a message in that state must not be sent again. */
  boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
