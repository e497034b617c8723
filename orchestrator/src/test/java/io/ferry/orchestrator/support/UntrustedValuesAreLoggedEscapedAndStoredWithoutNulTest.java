package io.ferry.orchestrator.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedValuesAreLoggedEscapedAndStoredWithoutNulTest {

    @Test
    void line_breaks_escape_and_nul_are_escaped_for_a_log_line() {
        // given a value that would end the log line and start a forged one, with a terminal escape and a NUL
        String forged = "vm-1\n2026-01-01T00:00:00Z ERROR forged\r\t\u001b[31m\u0000\u0085\u2028";

        // when it is made fit for a log line
        String logged = Untrusted.forLog(forged);

        // then every control and line-breaking character is written as an escape, and the rest is kept
        assertThat(logged).isEqualTo("vm-1\\u000a2026-01-01T00:00:00Z ERROR forged\\u000d\\u0009\\u001b[31m\\u0000"
                + "\\u0085\\u2028");
    }

    @Test
    void a_long_value_is_cut_and_says_how_much_was_left_out() {
        // given a value far longer than a log line should carry
        String huge = "x".repeat(Untrusted.LOG_LIMIT + 1000);

        // when it is logged
        String logged = Untrusted.forLog(huge);

        // then the first LOG_LIMIT characters are shown and the rest counted
        assertThat(logged).isEqualTo("x".repeat(Untrusted.LOG_LIMIT) + "...(+1000 chars)");
    }

    @Test
    void printable_text_and_whole_surrogate_pairs_are_left_alone_but_a_lone_surrogate_is_escaped() {
        assertThat(Untrusted.forLog("SERVER2 hv-02 é 🚢")).isEqualTo("SERVER2 hv-02 é 🚢");
        assertThat(Untrusted.forLog("a\uD83Db")).isEqualTo("a\\ud83db");
        assertThat(Untrusted.forLog(null)).isEqualTo("null");
    }

    @Test
    void the_first_unsafe_character_is_found_and_text_for_postgresql_holds_no_nul() {
        assertThat(Untrusted.firstUnsafe("SERVER\u00002")).hasValue(6);
        assertThat(Untrusted.firstUnsafe("SERVER2")).isEmpty();
        assertThat(Untrusted.forText("SERVER\u00002")).isEqualTo("SERVER\\u00002");
        assertThat(Untrusted.forText(null)).isNull();
    }
}
