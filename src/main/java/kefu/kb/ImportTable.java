package kefu.kb;

import java.util.List;

/**
 * The rows of an import file under its header, with the cells of the known columns.
 *
 * @param format what the file was read as, like {@code XLSX} or {@code CSV, GB18030}
 * @param rows the rows that are not blank, in file order
 * @param notes what was read but not used, like extra columns
 * @param columns how many cells the header row has, up to its last with a name
 */
record ImportTable(String format, List<Row> rows, List<Problem> notes, int columns) {

  /**
   * One row; cells are as in the file, with line breaks made {@code \n}, and empty when the column is absent.
   *
   * @param line 1-based: the line a CSV record starts on, or the row number in the sheet
   * @param width how many cells the row has, up to its last with text: more than the header's means the cells are
   *     not where the header says, as when a comma in a CSV cell without quotes splits it in two
   */
  record Row(int line, String question, String similar, String answer, String topic, int width) {}
}
