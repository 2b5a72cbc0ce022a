package kefu.kb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ExcelReaderException;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * Reads the table operations staff import — an XLSX workbook or a CSV file, told apart by their first bytes —
 * into rows of the columns 问题, 相似问法, 答案 and 分类.
 *
 * <p>The first row that is not blank is the header; the columns may be in any order, 问题 and 答案 are
 * required, other columns are ignored with a note. Of a workbook, the first sheet is read.
 */
final class ImportTableReader {
  static final String QUESTION = "问题";
  static final String SIMILAR = "相似问法";
  static final String ANSWER = "答案";
  static final String TOPIC = "分类";

  /** Far more than any FAQ; a larger file is most likely the wrong one. */
  static final long MAX_BYTES = 20L << 20;

  private static final List<String> COLUMNS = List.of(QUESTION, SIMILAR, ANSWER, TOPIC);
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

  /** A row as read, every cell as text. */
  private record RawRow(int line, List<String> cells) {
    String cell(Integer column) {
      return column == null || column >= cells.size() ? "" : cells.get(column).replace("\r\n", "\n").replace('\r', '\n');
    }

    boolean isBlank() {
      return width() == 0;
    }

    /** The number of cells up to the last that is not blank. */
    int width() {
      int width = cells.size();
      while (width > 0 && cells.get(width - 1).isBlank()) {
        width--;
      }
      return width;
    }
  }

  private final Path file;
  private final List<Problem> notes = new ArrayList<>();

  private ImportTableReader(Path file) {
    this.file = file;
  }

  static ImportTable read(Path file) throws ImportException {
    return new ImportTableReader(file).read();
  }

  private ImportTable read() throws ImportException {
    byte[] bytes = bytes();
    String format;
    List<RawRow> rows;
    if (CsvEncoding.startsWith(bytes, ZIP)) {
      format = "XLSX";
      rows = xlsx(bytes);
    } else if (CsvEncoding.startsWith(bytes, OLE2)) {
      throw unusable(0, "an Excel 97-2003 workbook (.xls); save it as Excel Workbook (.xlsx) or as CSV UTF-8");
    } else if (CsvEncoding.isUtf16(bytes)) {
      throw unusable(0, "UTF-16 text (Excel's \"Unicode Text\"); save it as CSV UTF-8 or as Excel Workbook (.xlsx)");
    } else {
      Charset charset = CsvEncoding.detect(bytes);
      String text = CsvEncoding.decode(bytes, charset)
          .orElseThrow(() -> unusable(0, "neither a workbook nor CSV text in UTF-8 or GB18030 (GBK)"));
      format = "CSV, " + charset.name();
      rows = csv(text);
    }
    return table(format, rows);
  }

  private byte[] bytes() throws ImportException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw unusable(0, "larger than " + (MAX_BYTES >> 20) + " MB; is it the right file?");
      }
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) {
        throw unusable(0, "the file is empty");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw unusable(0, "no such file");
    } catch (IOException e) {
      throw unusable(0, "cannot be read: " + e.getMessage());
    }
  }

  private List<RawRow> xlsx(byte[] bytes) throws ImportException {
    try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      List<Sheet> sheets = workbook.getSheets().toList();
      if (sheets.isEmpty()) {
        throw unusable(0, "the workbook has no sheet");
      }
      Sheet sheet = sheets.get(0);
      if (sheets.size() > 1) {
        notes.add(new Problem(file, 0, "only the first sheet, \"" + sheet.getName() + "\", is read; "
            + (sheets.size() - 1) + " more not"));
      }
      List<RawRow> rows = new ArrayList<>();
      try (Stream<Row> stream = sheet.openStream()) {
        stream.forEach(row -> {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < row.getCellCount(); i++) {
            cells.add(row.getCellText(i));
          }
          rows.add(new RawRow(row.getRowNum(), cells));
        });
      }
      return rows;
    } catch (IOException | ExcelReaderException | UncheckedIOException e) {
      throw unusable(0, "not a workbook that can be read (.xlsx): " + e.getMessage());
    }
  }

  private List<RawRow> csv(String text) throws ImportException {
    List<RawRow> rows = new ArrayList<>();
    LineCounter lines = new LineCounter(text);
    try (CSVParser parser = CSVParser.parse(text, CSVFormat.DEFAULT)) {
      for (CSVRecord record : parser) {
        rows.add(new RawRow(lines.lineAt(record.getCharacterPosition()), record.toList()));
      }
    } catch (IOException | UncheckedIOException e) {
      throw unusable(0, "not valid CSV: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    return rows;
  }

  private ImportTable table(String format, List<RawRow> rows) throws ImportException {
    int first = 0;
    while (first < rows.size() && rows.get(first).isBlank()) {
      first++;
    }
    if (first == rows.size()) {
      throw unusable(0, "no rows; the first row names the columns " + String.join(", ", COLUMNS));
    }
    RawRow header = rows.get(first);
    Map<String, Integer> columns = columns(header);
    List<ImportTable.Row> data = new ArrayList<>();
    for (RawRow row : rows.subList(first + 1, rows.size())) {
      ImportTable.Row cells = new ImportTable.Row(row.line(),
          row.cell(columns.get(QUESTION)), row.cell(columns.get(SIMILAR)), row.cell(columns.get(ANSWER)), row.cell(columns.get(TOPIC)),
          row.width());
      if (!(cells.question() + cells.similar() + cells.answer() + cells.topic()).isBlank()) {
        data.add(cells);
      }
    }
    if (data.isEmpty()) {
      throw unusable(header.line(), "no rows under the header row");
    }
    return new ImportTable(format, data, notes, header.width());
  }

  private Map<String, Integer> columns(RawRow header) throws ImportException {
    Map<String, Integer> columns = new LinkedHashMap<>();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < header.cells().size(); i++) {
      String name = header.cells().get(i).replace("\uFEFF", "").strip();
      if (name.isEmpty()) {
        continue;
      }
      found.add(name);
      if (!COLUMNS.contains(name)) {
        notes.add(new Problem(file, header.line(), "column " + (i + 1) + ", \"" + name + "\", is not imported"));
      } else if (columns.containsKey(name)) {
        throw unusable(header.line(), "the column " + name + " is there twice (columns " + (columns.get(name) + 1)
            + " and " + (i + 1) + ")");
      } else {
        columns.put(name, i);
      }
    }
    for (String required : List.of(QUESTION, ANSWER)) {
      if (!columns.containsKey(required)) {
        throw unusable(header.line(), "the header row has no column " + required + "; it needs 问题 and 答案, and may have"
            + " 相似问法 and 分类 (found: " + String.join(", ", found) + ")");
      }
    }
    return columns;
  }

  private ImportException unusable(int line, String message) {
    return new ImportException(new Problem(file, line, message));
  }

  /** The 1-based line of a character position in a text, for positions in increasing order. */
  private static final class LineCounter {
    private final String text;
    private int position;
    private int line = 1;

    LineCounter(String text) {
      this.text = text;
    }

    int lineAt(long characterPosition) {
      // Commons CSV gives the position of a record as just before the line break that ends the previous one
      // (and before skipped empty lines); the record starts after them.
      int start = (int) characterPosition;
      while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
        start++;
      }
      for (; position < start; position++) {
        char c = text.charAt(position);
        if (c == '\n' || c == '\r' && (position + 1 == text.length() || text.charAt(position + 1) != '\n')) {
          line++;
        }
      }
      return line;
    }
  }
}
