package io.ferry.orchestrator.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An estimate of a move between two hosts wants the route's own newest migrations and the two hosts' newest either way,
 * read in one query: the answer holds the newest few of each direction and of both together, newest first, and none of
 * another route's or an unfinished one's.
 */
class TwoHostsHistoryHoldsEachDirectionsNewestTest {
    @AutoClose
    private static final MigratedDatabase db = MigratedDatabase.open();
    private static final MigrationsReadModel readModel = db.readModel;
    private static final JdbcTemplate jdbc = db.jdbc;

    @Test
    void theRouteKeepsItsNewestFourBehindFiveNewerTheOtherWay() {
        // given: totals name the migrations; the higher, the newer
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 1; i <= 6; i++) {
            completed("hv-01", "hv-02", 100 + i, t0.plusSeconds(i));          // 101..106
        }
        for (int i = 1; i <= 5; i++) {
            completed("hv-02", "hv-01", 200 + i, t0.plusSeconds(10 + i));     // 201..205, newer than all above
        }
        completed("hv-01", "hv-03", 300, t0.plusSeconds(30));                 // another route, newest of all
        migration("hv-01", "hv-02", "PRECOPY", null, t0.plusSeconds(31));       // not finished

        // when
        List<MigrationsReadModel.Precopied> rows = readModel.recentPrecopiesBetween("hv-01", "hv-02", 4);

        // then: each direction's newest four, newest first; the two's newest four are the other way's
        assertThat(rows).extracting(MigrationsReadModel.Precopied::totalMs)
                .containsExactly(205L, 204L, 203L, 202L, 106L, 105L, 104L, 103L);
        assertThat(rows.stream().filter(r -> r.went("hv-01", "hv-02")).limit(4))
                .extracting(MigrationsReadModel.Precopied::totalMs).containsExactly(106L, 105L, 104L, 103L);
        // and asked the other way round, the same rows
        assertThat(readModel.recentPrecopiesBetween("hv-02", "hv-01", 4)).isEqualTo(rows);
    }

    private static void completed(String source, String destination, long totalMs, Instant at) {
        migration(source, destination, "COMPLETED", totalMs, at);
    }

    private static void migration(String source, String destination, String state, Long totalMs, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into migrations (migration_id, request_id, vm_id, source_host, destination_host, state, requested_by,
                    channel, version, created_at, updated_at, total_ms)
                values (?, ?, ?, ?, ?, ?, 'test', 'REST', 1, ?, ?, ?)""", id, "req-" + id, "VM-" + totalMs, source, destination,
                state, Timestamp.from(at), Timestamp.from(at), totalMs);
    }
}
