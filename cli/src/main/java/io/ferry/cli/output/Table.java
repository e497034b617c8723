package io.ferry.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns aligned for people: a header row, two spaces between columns, numbers right-aligned, no trailing blanks. */
public final class Table {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    public Table left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    public Table right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /** One row, a cell per column; null cells print as "-". */
    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null || cells[i].isEmpty() ? "-" : cells[i];
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(rightAligned.get(i) ? pad + cells[i] : cells[i] + pad);
        }
        return line.toString().stripTrailing();
    }
}
