package kefu.conversation;

/**
 * An article (图文) to customers: as a mass message WeChat hosts it whole (its cover uploaded as the thumb); as a
 * customer-service news message it is a card of the title, the digest and the cover that opens {@code url}.
 *
 * @param content the article's body (WeChat's article HTML: paragraphs as {@code <p>})
 * @param url the business's own page of it: where the news card leads, and the mass article's 阅读原文
 * @param cover the cover picture, a JPEG file of templates/ by its path there (WeChat takes a thumb of at most 64 KB)
 */
public record Article(String title, String digest, String content, String url, String cover) {}
