package kefu.kb;

import java.util.List;

/**
 * The rows of an import file under its header, with the cells of the known columns.
 *
 * @param format what the file was read as, like {@code XLSX} or {@code CSV, GB18030}
 * @param rows the rows that are not blank, in file order
 * @param notes what was read but not used, like extra columns
 */
record ImportTable(String format, List<Row> rows, List<Problem> notes) {

  /**
   * One row; cells are as in the file, with line breaks made {@code \n}, and empty when the column is absent.
   *
   * @param line 1-based: the line a CSV record starts on, or the row number in the sheet
   */
  record Row(int line, String question, String similar, String answer, String topic) {}
}
