package io.ferry.orchestrator.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.estimate.RecordedPrecopy;
import io.ferry.hypervisor.estimate.SampledPrecopy;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An estimate of a throttled guest reads the VM's own newest migrations that ran throttled rounds, each beside the
 * rate its sample gave then: newest first, their rounds in order; none that was never throttled, none without a
 * sample, none of another VM.
 */
class AVmsThrottledRoundsAreReadBesideItsSampledRateTest {
    @AutoClose
    private static final MigratedDatabase db = MigratedDatabase.open();
    private static final MigrationsReadModel readModel = db.readModel;
    private static final JdbcTemplate jdbc = db.jdbc;

    @Test
    void the_vms_newest_throttled_migrations_come_with_their_sampled_rate_and_rounds() {
        // given SERVER2's migrations, oldest first: throttled ones whose sample said 1, 2, 3 M pages/s, one never
        // throttled, one without a sample; and another VM's throttled one
        Instant t0 = Instant.parse("2026-12-02T00:00:00Z");
        migration("SERVER2", 1e6, t0.plusSeconds(1), 0, 99);
        migration("SERVER2", 2e6, t0.plusSeconds(2), 0, 50, 99);
        migration("SERVER2", 3e6, t0.plusSeconds(3), 20, 99);
        migration("SERVER2", 4e6, t0.plusSeconds(4), 0, 0);
        migration("SERVER2", null, t0.plusSeconds(5), 0, 99);
        migration("SERVER3", 9e6, t0.plusSeconds(6), 0, 99);

        // when the newest two are asked for
        List<SampledPrecopy> read = readModel.recentThrottledPrecopies("SERVER2", 2);

        // then the throttled ones with a sample, newest first, each with its rounds in order
        assertThat(read).extracting(SampledPrecopy::sampledPagesPerSec).containsExactly(3e6, 2e6);
        assertThat(read.get(1).precopy().rounds()).extracting(RecordedPrecopy.Round::throttlePercent)
                .containsExactly(0, 50, 99);
        assertThat(read.get(1).precopy().rounds()).extracting(RecordedPrecopy.Round::round).containsExactly(1, 2, 3);
        assertThat(read.get(0).precopy().memoryPages()).isEqualTo(1024 * 256L);
    }

    private static void migration(String vm, Double sampled, Instant at, int... throttles) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into migrations (migration_id, request_id, vm_id, source_host, destination_host, state, requested_by,
                    channel, version, created_at, updated_at, total_ms, memory_mb, estimate)
                values (?, ?, ?, 'hv-01', 'hv-02', 'COMPLETED', 'test', 'REST', 1, ?, ?, 1000, 1024, ?::jsonb)""", id,
                "req-" + id, vm, Timestamp.from(at), Timestamp.from(at),
                "{\"converges\": true, \"sampledDirtyPagesPerSec\": " + (sampled == null ? "null" : sampled) + "}");
        for (int i = 0; i < throttles.length; i++) {
            jdbc.update("""
                    insert into migration_events (event_id, migration_id, version, type, payload, payload_json, correlation_id,
                        actor, recorded_at)
                    values (?, ?, ?, 'PrecopyRoundCompleted', ?, ?::jsonb, ?, 'agent:hv-01', ?)""", UUID.randomUUID(), id, i + 2,
                    new byte[] {0}, String.format("{\"progress\": {\"round\": %d, \"roundMs\": 3000, \"bytesSent\": 4104000, "
                    + "\"pagesSent\": 1000, \"zeroPages\": 0, \"throttlePercent\": %d, \"dirtyPagesRemaining\": 500}}", i + 1,
                    throttles[i]), "req-" + id, Timestamp.from(at));
        }
    }
}
