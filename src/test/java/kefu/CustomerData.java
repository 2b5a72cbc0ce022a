package kefu;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kefu.channel.wechat.WechatCrypto;
import kefu.channel.wechat.WechatXml;
import kefu.channel.wechat.WechatXmlException;

/**
 * The customer data tests send kefu as WeChat — openids and message texts — for {@link LogHasNoCustomerDataTest},
 * which looks for each in the log of the whole run.
 */
public final class CustomerData {
  /** Shorter ones ("o-a", "你好") are also words of kefu's own lines; every test fixture has a longer one. */
  static final int SHORTEST = 6;
  private static final Set<String> OPENIDS = ConcurrentHashMap.newKeySet();
  private static final Set<String> TEXTS = ConcurrentHashMap.newKeySet();

  private CustomerData() {}

  /** Notes the sender and the text of a message posted to {@code /wechat}, opened with {@code crypto} if sealed. */
  static void sent(String body, WechatCrypto crypto) {
    try {
      Map<String, String> fields = WechatXml.parse(body);
      if (fields.containsKey("Encrypt") && crypto.canDecrypt()) {
        fields = WechatXml.parse(crypto.decrypt(fields.get("Encrypt")));
      }
      add(OPENIDS, fields.get("FromUserName"));
      add(TEXTS, fields.get("Content"));
      add(TEXTS, fields.get("Recognition"));
    } catch (WechatXmlException | WechatCrypto.ForeignMessageException e) {
      // A broken body: the test that sends it checks the log itself.
    }
  }

  private static void add(Set<String> to, String value) {
    if (value != null && value.strip().length() >= SHORTEST) {
      to.add(value.strip());
    }
  }

  static Set<String> openids() {
    return Set.copyOf(OPENIDS);
  }

  static Set<String> texts() {
    return Set.copyOf(TEXTS);
  }
}
