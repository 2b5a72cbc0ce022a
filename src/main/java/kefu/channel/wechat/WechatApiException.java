package kefu.channel.wechat;

import java.util.Set;

/**
 * A call WeChat refused or that did not reach it. {@link #code()} is WeChat's errcode, or {@link #NETWORK} when no
 * answer came.
 */
final class WechatApiException extends Exception {
  /** No answer: connection refused or timed out. */
  static final int NETWORK = -99;
  /** -1 system busy; 45011 too many calls this minute; 40001/42001 the access token was refreshed meanwhile. */
  private static final Set<Integer> TRANSIENT = Set.of(NETWORK, -1, 45011, 40001, 42001);

  private final int code;

  WechatApiException(int code, String message) {
    super(message);
    this.code = code;
  }

  int code() {
    return code;
  }

  /**
   * Whether the same call may succeed later. Permanent ones include 43004 (unfollowed), 45015 (outside the
   * 48-hour window) and 45047 (over the per-customer limit): retrying them only repeats the refusal.
   */
  boolean isTransient() {
    return TRANSIENT.contains(code);
  }
}
