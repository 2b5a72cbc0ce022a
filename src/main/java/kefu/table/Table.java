package kefu.table;

import java.util.List;
import java.util.Map;

/**
 * The rows of an import file under its header, with the cells of the known columns.
 *
 * @param format what the file was read as, like {@code XLSX} or {@code CSV, GB18030}
 * @param rows the rows that are not blank in a known column, in file order
 * @param notes what was read but not used, like extra columns
 * @param columns how many cells the header row has, up to its last with a name
 */
public record Table(String format, List<Row> rows, List<Note> notes, int columns) {
  public Table {
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
  }

  /**
   * One row; cells are as in the file, with line breaks made {@code \n}, by {@link Column#name()}.
   *
   * @param line 1-based: the line a CSV record starts on, or the row number in the sheet
   * @param width how many cells the row has, up to its last with text: more than the header's means the cells are
   *     not where the header says, as when a comma in a CSV cell without quotes splits it in two
   */
  public record Row(int line, Map<String, String> cells, int width) {
    public Row {
      cells = Map.copyOf(cells);
    }

    /** The cell of the column {@code name}; empty when the file has no such column. */
    public String cell(String name) {
      return cells.getOrDefault(name, "");
    }
  }

  /**
   * Something read but not used, at a line of the file.
   *
   * @param line 1-based; 0 for the whole file
   */
  public record Note(int line, String message) {}
}
