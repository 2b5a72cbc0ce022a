package kefu.channel.wechat;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads and writes the XML WeChat exchanges with a server: a flat {@code <xml>} of named fields.
 *
 * <p>Reads with a streaming (StAX) parser rather than WxJava's XStream binding: it is several times faster on
 * the webhook's hot path, and with DTDs refused outright no entity — external (XXE) or nested (billion laughs) —
 * is ever expanded.
 */
public final class WechatXml {
  /** WeChat's messages have a dozen fields; far more means something else. */
  private static final int MAX_FIELDS = 64;

  private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(() -> {
    // A factory is not thread-safe (the JDK's reuses one reader), so each thread has its own.
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  });

  private WechatXml() {}

  /** What comes before the fields of the {@code n}th {@code <List>} entry (from 0), which are many of one name. */
  public static String listEntry(int n) {
    return "List." + n + ".";
  }

  /**
   * The fields of a WeChat XML document by element name; nested elements (an event's ScanCodeInfo) are read
   * by their own names, except within the repeated {@code <List>} entries (a subscription event's templates), read
   * as {@link #listEntry}{@code (n)} and the name.
   *
   * @throws WechatXmlException if it is not such a document, or declares a DTD
   */
  public static Map<String, String> parse(String xml) {
    Map<String, String> fields = new HashMap<>();
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.get().createXMLStreamReader(new StringReader(xml));
      // XML 1.1 would let control characters in as references; another encoding was never what the bytes are in.
      if (reader.getVersion() != null && !reader.getVersion().equals("1.0")
          || reader.getCharacterEncodingScheme() != null && !reader.getCharacterEncodingScheme().equalsIgnoreCase("UTF-8")) {
        throw new WechatXmlException("an XML declaration other than version 1.0 in UTF-8");
      }
      int depth = 0;
      int lists = 0;
      boolean inList = false;
      String field = null;
      StringBuilder text = new StringBuilder();
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.DTD -> throw new WechatXmlException("a DTD is not allowed");
          case XMLStreamConstants.ENTITY_REFERENCE -> throw new WechatXmlException("entity references are not allowed");
          case XMLStreamConstants.START_ELEMENT -> {
            depth++;
            if (depth == 1 && !reader.getLocalName().equals("xml")) {
              throw new WechatXmlException("the root element is not <xml>");
            }
            if (reader.getLocalName().equals("List")) {
              inList = true;
            }
            field = depth > 1 ? (inList ? listEntry(lists) : "") + reader.getLocalName() : null;
            text.setLength(0);
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (field != null) {
              text.append(reader.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (field != null) {
              fields.putIfAbsent(field, text.toString());
              if (fields.size() > MAX_FIELDS) {
                throw new WechatXmlException("more than " + MAX_FIELDS + " fields");
              }
            }
            if (inList && reader.getLocalName().equals("List")) {
              inList = false;
              lists++;
            }
            field = null;
            depth--;
          }
          default -> { }
        }
      }
      if (fields.isEmpty()) {
        throw new WechatXmlException("no fields");
      }
      return fields;
    } catch (XMLStreamException | IllegalStateException e) {
      throw notWellFormed(e);
    } catch (RuntimeException e) {
      // Aalto, the StAX parser a dependency brings onto the class path, throws some well-formedness errors (a NUL, a
      // control character) unchecked, with the XMLStreamException as the cause.
      if (e.getCause() instanceof XMLStreamException x) {
        throw notWellFormed(x);
      }
      throw e;
    } finally {
      close(reader);
    }
  }

  /**
   * {@code bytes} as UTF-8, the only encoding WeChat uses.
   *
   * @throws WechatXmlException if they are not UTF-8 (GBK, say), rather than reading them as mojibake
   */
  public static String utf8(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WechatXmlException("not UTF-8");
    }
  }

  private static WechatXmlException notWellFormed(Exception e) {
    return new WechatXmlException("not well-formed XML (line " + (e instanceof XMLStreamException x && x.getLocation() != null
        ? x.getLocation().getLineNumber() : 0) + ")");
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // Nothing is held open by a reader over a string.
      }
    }
  }

  /** A passive text reply to the customer {@code openid} from the account {@code account}. */
  public static String textReply(String openid, String account, long createTime, String content) {
    StringBuilder xml = new StringBuilder(200 + content.length());
    xml.append("<xml><ToUserName>");
    cdata(xml, openid);
    xml.append("</ToUserName><FromUserName>");
    cdata(xml, account);
    xml.append("</FromUserName><CreateTime>").append(createTime).append("</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>");
    cdata(xml, content);
    return xml.append("</Content></xml>").toString();
  }

  /** The envelope of an encrypted message or reply. */
  public static String encrypted(String encrypt, String msgSignature, String timestamp, String nonce) {
    StringBuilder xml = new StringBuilder(200 + encrypt.length());
    xml.append("<xml><Encrypt>");
    cdata(xml, encrypt);
    xml.append("</Encrypt><MsgSignature>");
    cdata(xml, msgSignature);
    xml.append("</MsgSignature><TimeStamp>").append(timestamp).append("</TimeStamp><Nonce>");
    cdata(xml, nonce);
    return xml.append("</Nonce></xml>").toString();
  }

  /** Writes {@code text} as CDATA; a "]]>" inside is split across two sections. */
  static void cdata(StringBuilder xml, String text) {
    xml.append("<![CDATA[").append(text.replace("]]>", "]]]]><![CDATA[>")).append("]]>");
  }
}
