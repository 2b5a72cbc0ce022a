package kefu.channel.wechat;

import java.util.List;

/** The calls of WeChat's API for mass messages (群发) and user tags. Every call blocks: make them on worker threads. */
interface MassApi {
  /** WeChat's most openids in one tagging call. */
  int MOST_TAGGED = 50;

  /** mass/send: {@code text} to 2–10,000 openids; returns WeChat's msg_id. {@code clientMsgId} de-duplicates for 24 h. */
  String massToList(List<String> openids, String text, String clientMsgId) throws WechatApiException;

  /** mass/sendall to the followers with tag {@code tagId}; returns WeChat's msg_id. */
  String massToTag(long tagId, String text, String clientMsgId) throws WechatApiException;

  /** tags/create; returns the new tag's id. */
  long createTag(String name) throws WechatApiException;

  /** tags/members/batchtagging: at most {@link #MOST_TAGGED} openids. */
  void tag(long tagId, List<String> openids) throws WechatApiException;

  /** tags/delete. */
  void deleteTag(long tagId) throws WechatApiException;

  /** mass/preview: {@code text} to the one follower {@code openid}, as the mass message would show (100 a day). */
  void preview(String openid, String text) throws WechatApiException;
}
