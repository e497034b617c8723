package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.RoundStats;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class QueryMigrateFiguresBecomeTheRoundsFerryReportsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // query-migrate as QEMU 7.2 answered it on a source (256 MiB guest rewriting 64 MiB), trimmed to what ferry reads
    private static final String ROUND_1_ENDED = """
            {"status": "active", "setup-time": 0, "total-time": 812, "expected-downtime": 420,
             "ram": {"total": 269230080, "dirty-sync-count": 2, "page-size": 4096, "remaining": 60000256,
                     "mbps": 3900.5, "transferred": 160231424, "duplicate": 27500, "dirty-pages-rate": 0,
                     "normal-bytes": 159760384, "normal": 39004}}""";
    private static final String ROUND_2_ENDED_AT_PRE_SWITCHOVER = """
            {"status": "pre-switchover", "setup-time": 0, "total-time": 1109, "expected-downtime": 300,
             "ram": {"total": 269230080, "dirty-sync-count": 3, "page-size": 4096, "remaining": 48267264,
                     "mbps": 3942.97, "transferred": 211132212, "duplicate": 27545, "dirty-pages-rate": 23931,
                     "normal-bytes": 210472960, "normal": 51385}, "cpu-throttle-percentage": 20}""";

    @Test
    void a_round_ends_when_the_dirty_sync_count_moves_and_is_numbered_as_qemu_numbers_its_passes() {
        // given the samples before migrate, after QEMU's first (setup) sync, and at the end of the first pass
        QueryMigrate none = QueryMigrate.NONE;
        QueryMigrate setup = QueryMigrate.of(JSON.readTree("""
                {"status": "setup", "ram": {"dirty-sync-count": 1, "page-size": 4096}}"""));
        QueryMigrate first = QueryMigrate.of(JSON.readTree(ROUND_1_ENDED));

        // when they are compared, then only the second sync ends a round, and that round is number 1
        assertThat(QemuRounds.roundEnded(none, setup)).isFalse();
        assertThat(QemuRounds.roundEnded(none, first)).isTrue();
        assertThat(QemuRounds.roundEnded(first, first)).isFalse();
        assertThat(QemuRounds.round(none, first).round()).isEqualTo(1);
    }

    @Test
    void a_rounds_figures_are_the_differences_between_its_start_and_end_samples() {
        // given the samples at the end of rounds 1 and 2
        QueryMigrate first = QueryMigrate.of(JSON.readTree(ROUND_1_ENDED));
        QueryMigrate second = QueryMigrate.of(JSON.readTree(ROUND_2_ENDED_AT_PRE_SWITCHOVER));

        // when round 2 is read from them
        RoundStats round = QemuRounds.round(first, second);

        // then it is round 2 with what was sent in it, and QEMU's view of what is left and how fast it moves
        assertThat(round.round()).isEqualTo(2);
        assertThat(round.pagesSent()).isEqualTo((51385 + 27545) - (39004 + 27500));
        assertThat(round.zeroPages()).isEqualTo(45);
        assertThat(round.bytesSent()).isEqualTo(211132212L - 160231424L);
        assertThat(round.uncompressedBytes()).isEqualTo((51385L - 39004L) * 4096);
        assertThat(round.roundMs()).isEqualTo(1109 - 812);
        assertThat(round.dirtyPagesRemaining()).isEqualTo(48267264L / 4096);
        assertThat(round.dirtyRatePagesPerSec()).isEqualTo(23931);
        assertThat(round.throughputMbps()).isEqualTo(3942.97);
        // (the expected downtime is the remaining set at QEMU's current rate: 48,267,264 B at 3942.97 Mbit/s = 98 ms;
        // QEMU's own figure is not used, as it holds ferry's 1 ms hold limit until QEMU sampled a dirty rate)
        assertThat(round.expectedDowntimeMs()).isEqualTo(98);
        assertThat(round.throttlePercent()).isEqualTo(20);
        assertThat(QemuRounds.roundsAt(second)).isEqualTo(2);
    }

    @Test
    void a_failed_migration_carries_qemus_error_and_fields_qemu_leaves_out_read_as_unknown() {
        // given QEMU's answer after the destination refused the connection
        QueryMigrate failed = QueryMigrate.of(JSON.readTree("""
                {"status": "failed", "error-desc": "Failed to connect socket: Connection refused"}"""));

        // then it is finished, says why, and has no downtime or expected downtime
        assertThat(failed.finished()).isTrue();
        assertThat(failed.errorDesc()).isEqualTo("Failed to connect socket: Connection refused");
        assertThat(failed.downtimeMs()).isEqualTo(-1);
        assertThat(failed.expectedDowntimeMs()).isEqualTo(-1);
        assertThat(QemuRounds.round(QueryMigrate.NONE, failed).expectedDowntimeMs()).isZero();
    }
}
