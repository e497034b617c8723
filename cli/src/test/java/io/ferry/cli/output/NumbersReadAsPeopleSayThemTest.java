package io.ferry.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersReadAsPeopleSayThemTest {

    @Test
    void durations_go_from_milliseconds_to_hours() {
        // when durations of each size are shown
        // then short ones are in ms, then tenths of seconds, then minutes and hours
        assertThat(Human.millis(41L)).isEqualTo("41 ms");
        assertThat(Human.millis(3_240L)).isEqualTo("3.2 s");
        assertThat(Human.millis(125_000L)).isEqualTo("2 min 05 s");
        assertThat(Human.millis(3_720_000L)).isEqualTo("1 h 02 min");
        assertThat(Human.millis(null)).isNull();
    }

    @Test
    void sizes_are_binary_as_memory_is() {
        // when byte counts and memory sizes are shown
        // then they read in B, KB, MB and GB of 1024, memory with thousands separators
        assertThat(Human.bytes(512L)).isEqualTo("512 B");
        assertThat(Human.bytes(1_536L)).isEqualTo("1.5 KB");
        assertThat(Human.bytes(851_968_000L)).isEqualTo("812.5 MB");
        assertThat(Human.bytes(1L << 31)).isEqualTo("2.00 GB");
        assertThat(Human.megabytes(16_384L)).isEqualTo("16,384 MB");
    }

    @Test
    void rates_and_times() {
        // when a throughput and API instants are shown
        // then the rate is whole Mbit/s (tenths below 10) and times are UTC to the second or millisecond
        assertThat(Human.mbps(940.4)).isEqualTo("940 Mbit/s");
        assertThat(Human.mbps(2.25)).isEqualTo("2.3 Mbit/s");
        assertThat(Human.time("2026-05-04T10:15:30.123456Z")).isEqualTo("2026-05-04 10:15:30Z");
        assertThat(Human.timeMillis("2026-05-04T10:15:30.123456Z")).isEqualTo("2026-05-04 10:15:30.123Z");
        assertThat(Human.time("yesterday")).isEqualTo("yesterday");
    }
}
