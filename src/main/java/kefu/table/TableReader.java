package kefu.table;

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
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ExcelReaderException;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * Reads the tables staff import — an XLSX workbook or a CSV file (UTF-8 with or without BOM, or GBK), told apart by
 * their first bytes, never by their names — into rows of the columns asked for.
 *
 * <p>The first row that is not blank is the header; the columns may be in any order, under their names or aliases,
 * the required ones must be there, others are ignored with a note. Of a workbook, the first sheet is read.
 */
public final class TableReader {
  /** Far more than any FAQ or customer list; a larger file is most likely the wrong one. */
  public static final long MAX_BYTES = 20L << 20;
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

  private final List<Column> columns;
  private final List<Table.Note> notes = new ArrayList<>();

  private TableReader(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** The table in {@code file} under the {@code columns}. */
  public static Table read(Path file, List<Column> columns) throws TableException {
    return new TableReader(columns).read(bytes(file));
  }

  /** The table in {@code bytes}, as uploaded, under the {@code columns}. */
  public static Table read(byte[] bytes, List<Column> columns) throws TableException {
    if (bytes.length > MAX_BYTES) {
      throw unusable(0, "larger than " + (MAX_BYTES >> 20) + " MB; is it the right file?");
    }
    if (bytes.length == 0) {
      throw unusable(0, "the file is empty");
    }
    return new TableReader(columns).read(bytes);
  }

  private Table read(byte[] bytes) throws TableException {
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

  private static byte[] bytes(Path file) throws TableException {
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

  private List<RawRow> xlsx(byte[] bytes) throws TableException {
    try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      List<Sheet> sheets = workbook.getSheets().toList();
      if (sheets.isEmpty()) {
        throw unusable(0, "the workbook has no sheet");
      }
      Sheet sheet = sheets.get(0);
      if (sheets.size() > 1) {
        notes.add(new Table.Note(0, "only the first sheet, \"" + sheet.getName() + "\", is read; "
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

  private List<RawRow> csv(String text) throws TableException {
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

  private Table table(String format, List<RawRow> rows) throws TableException {
    int first = 0;
    while (first < rows.size() && rows.get(first).isBlank()) {
      first++;
    }
    if (first == rows.size()) {
      throw unusable(0, "no rows; the first row names the columns " + String.join(", ", columns.stream().map(Column::name).toList()));
    }
    RawRow header = rows.get(first);
    Map<String, Integer> at = columns(header);
    List<Table.Row> data = new ArrayList<>();
    for (RawRow row : rows.subList(first + 1, rows.size())) {
      Map<String, String> cells = new LinkedHashMap<>();
      at.forEach((name, column) -> cells.put(name, row.cell(column)));
      if (!String.join("", cells.values()).isBlank()) {
        data.add(new Table.Row(row.line(), cells, row.width()));
      }
    }
    if (data.isEmpty()) {
      throw unusable(header.line(), "no rows under the header row");
    }
    return new Table(format, data, notes, header.width());
  }

  private Map<String, Integer> columns(RawRow header) throws TableException {
    Map<String, Integer> at = new LinkedHashMap<>();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < header.cells().size(); i++) {
      String name = header.cells().get(i).replace("\uFEFF", "").strip();
      if (name.isEmpty()) {
        continue;
      }
      found.add(name);
      Optional<Column> column = columns.stream().filter(c -> c.named(name)).findFirst();
      if (column.isEmpty()) {
        notes.add(new Table.Note(header.line(), "column " + (i + 1) + ", \"" + name + "\", is not imported"));
      } else if (at.containsKey(column.get().name())) {
        throw unusable(header.line(), "the column " + column.get().name() + " is there twice (columns "
            + (at.get(column.get().name()) + 1) + " and " + (i + 1) + ")");
      } else {
        at.put(column.get().name(), i);
      }
    }
    for (Column required : columns.stream().filter(Column::required).toList()) {
      if (!at.containsKey(required.name())) {
        throw unusable(header.line(), "the header row has no column " + required.name() + "; it needs "
            + names(columns.stream().filter(Column::required)) + ", and may have " + names(columns.stream().filter(c -> !c.required()))
            + " (found: " + String.join(", ", found) + ")");
      }
    }
    return at;
  }

  private static String names(Stream<Column> columns) {
    List<String> names = columns.map(Column::name).toList();
    return names.size() <= 2 ? String.join(" and ", names)
        : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  private static TableException unusable(int line, String message) {
    return new TableException(line, message);
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
