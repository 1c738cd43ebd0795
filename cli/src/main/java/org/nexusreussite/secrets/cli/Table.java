package org.nexusreussite.secrets.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned text columns separated by two spaces; the last column is not padded. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  /** A table whose first row is {@code header}. */
  Table(String... header) {
    this.columns = header.length;
    rows.add(header);
  }

  /** A table without a header row. */
  static Table ofColumns(int columns) {
    Table t = new Table(new String[columns]);
    t.rows.clear();
    return t;
  }

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  void print(PrintStream out, String indent) {
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], cell(row, c).length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder(indent);
      for (int c = 0; c < columns; c++) {
        String cell = cell(row, c);
        sb.append(cell);
        if (c < columns - 1) {
          sb.append(" ".repeat(width[c] - cell.length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String cell(String[] row, int c) {
    return c < row.length && row[c] != null ? row[c] : "";
  }
}
