package kefu.channel.wechat;

import java.nio.file.Path;
import java.util.List;
import kefu.conversation.Article;

/** The calls of WeChat's API for mass messages (群发) and user tags. Every call blocks: make them on worker threads. */
interface MassApi {
  /** WeChat's most openids in one tagging call. */
  int MOST_TAGGED = 50;

  /** What a mass message carries: a text, or an uploaded article (mpnews) by its media_id. */
  record Content(String type, String value) {
    static Content text(String text) {
      return new Content("text", text);
    }

    static Content article(String mediaId) {
      return new Content("mpnews", mediaId);
    }
  }

  /** mass/send: {@code content} to 2–10,000 openids; returns WeChat's msg_id. {@code clientMsgId} de-duplicates for 24 h. */
  String massToList(List<String> openids, Content content, String clientMsgId) throws WechatApiException;

  /** mass/sendall to the followers with tag {@code tagId}; returns WeChat's msg_id. */
  String massToTag(long tagId, Content content, String clientMsgId) throws WechatApiException;

  /** media/upload of type thumb: an article's cover (JPEG, at most 64 KB); returns its thumb_media_id. */
  String uploadThumb(Path file) throws WechatApiException;

  /** media/uploadnews: the article with its cover's thumb; returns its media_id, which mass messages may send for three days. */
  String uploadArticle(Article article, String thumbMediaId) throws WechatApiException;

  /** tags/create; returns the new tag's id. */
  long createTag(String name) throws WechatApiException;

  /** tags/members/batchtagging: at most {@link #MOST_TAGGED} openids. */
  void tag(long tagId, List<String> openids) throws WechatApiException;

  /** tags/delete. */
  void deleteTag(long tagId) throws WechatApiException;

  /** mass/preview: {@code text} to the one follower {@code openid}, as the mass message would show (100 a day). */
  void preview(String openid, String text) throws WechatApiException;
}
