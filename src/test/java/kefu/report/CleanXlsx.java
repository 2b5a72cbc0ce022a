package kefu.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What makes Excel offer to repair a workbook instead of opening it, checked in its parts: every XML part well-formed,
 * the parts the package names present, sheet names as Excel allows them (1–31 characters, none of {@code []:*?/\},
 * unique regardless of case), every cell's style one the style sheet has, and the dates' styles date formats.
 */
public final class CleanXlsx {
  private CleanXlsx() {}

  /** Asserts that {@code xlsx} opens cleanly; returns how many cells carry a date format, for the caller to expect. */
  public static int assertOpensCleanly(byte[] xlsx) throws Exception {
    Map<String, Document> parts = parts(xlsx);
    assertThat(parts).containsKeys("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml",
        "xl/_rels/workbook.xml.rels");

    Set<String> names = new HashSet<>();
    NodeList sheets = parts.get("xl/workbook.xml").getElementsByTagNameNS("*", "sheet");
    assertThat(sheets.getLength()).isPositive();
    for (int i = 0; i < sheets.getLength(); i++) {
      String name = ((Element) sheets.item(i)).getAttribute("name");
      assertThat(name).as("a sheet's name").hasSizeBetween(1, 31).doesNotContainPattern("[\\[\\]:*?/\\\\]");
      assertThat(names.add(name.toLowerCase(java.util.Locale.ROOT))).as("sheet name %s unique", name).isTrue();
    }
    NodeList targets = parts.get("xl/_rels/workbook.xml.rels").getElementsByTagNameNS("*", "Relationship");
    for (int i = 0; i < targets.getLength(); i++) {
      String target = ((Element) targets.item(i)).getAttribute("Target").replaceFirst("^/", "").replaceFirst("^xl/", "");
      assertThat(parts).as("the workbook's part %s", target).containsKey("xl/" + target);
    }

    Document styles = parts.get("xl/styles.xml");
    Map<Integer, String> formats = new HashMap<>();
    NodeList numFmts = styles.getElementsByTagNameNS("*", "numFmt");
    for (int i = 0; i < numFmts.getLength(); i++) {
      Element f = (Element) numFmts.item(i);
      formats.put(Integer.parseInt(f.getAttribute("numFmtId")), f.getAttribute("formatCode"));
    }
    Element cellXfs = (Element) styles.getElementsByTagNameNS("*", "cellXfs").item(0);
    List<Integer> xfFormat = new ArrayList<>();
    NodeList xfs = cellXfs.getElementsByTagNameNS("*", "xf");
    for (int i = 0; i < xfs.getLength(); i++) {
      Element xf = (Element) xfs.item(i);
      int id = xf.getAttribute("numFmtId").isEmpty() ? 0 : Integer.parseInt(xf.getAttribute("numFmtId"));
      assertThat(id < 164 || formats.containsKey(id)).as("number format %d defined", id).isTrue();
      xfFormat.add(id);
    }
    if (!cellXfs.getAttribute("count").isEmpty()) {
      assertThat(Integer.parseInt(cellXfs.getAttribute("count"))).isEqualTo(xfs.getLength());
    }

    int dated = 0;
    for (Map.Entry<String, Document> part : parts.entrySet()) {
      if (!part.getKey().startsWith("xl/worksheets/")) {
        continue;
      }
      NodeList cells = part.getValue().getElementsByTagNameNS("*", "c");
      for (int i = 0; i < cells.getLength(); i++) {
        Element cell = (Element) cells.item(i);
        int style = cell.getAttribute("s").isEmpty() ? 0 : Integer.parseInt(cell.getAttribute("s"));
        assertThat(style).as("%s %s: its style", part.getKey(), cell.getAttribute("r")).isLessThan(xfFormat.size());
        String format = formats.getOrDefault(xfFormat.get(style), "");
        if (format.contains("yy")) {
          assertThat(cell.getAttribute("t")).as("%s %s: a date is a number", part.getKey(), cell.getAttribute("r")).isIn("", "n");
          dated++;
        }
      }
    }
    return dated;
  }

  /** The package's XML parts, read through its central directory as Excel reads it (its entries carry ZIP64 descriptors). */
  private static Map<String, Document> parts(byte[] xlsx) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Map<String, Document> parts = new HashMap<>();
    Path file = Files.createTempFile("kefu-clean", ".xlsx");
    try {
      Files.write(file, xlsx);
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
          if (!entry.getName().endsWith(".xml") && !entry.getName().endsWith(".rels")) {
            continue;
          }
          try (InputStream in = zip.getInputStream(entry)) {
            parts.put(entry.getName(), factory.newDocumentBuilder().parse(in));
          } catch (org.xml.sax.SAXException | IOException e) {
            throw new AssertionError(entry.getName() + " is not well-formed XML: " + e.getMessage(), e);
          }
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return parts;
  }
}
