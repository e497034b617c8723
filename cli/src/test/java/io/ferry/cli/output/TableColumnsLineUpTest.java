package io.ferry.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableColumnsLineUpTest {

    @Test
    void text_aligns_left_numbers_right_and_missing_cells_show_a_dash() {
        // given a table with a text column and a number column
        Table table = new Table().left("HOST").right("MEMORY").left("DRIVER");
        table.row("hv-01", "16,384 MB", "simulated");
        table.row("hv-long-name", "512 MB", null);

        // when it is printed
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));

        // then each column is as wide as its widest cell, two blanks apart, without trailing blanks
        assertThat(text.toString().lines()).containsExactly(
                "HOST             MEMORY  DRIVER",
                "hv-01         16,384 MB  simulated",
                "hv-long-name     512 MB  -");
    }
}
