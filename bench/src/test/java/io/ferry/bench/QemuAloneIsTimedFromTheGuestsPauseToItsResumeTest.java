package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.qemu.QueryMigrate;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class QemuAloneIsTimedFromTheGuestsPauseToItsResumeTest {
    private static QueryMigrate sample(String status, long totalTimeMs, long downtimeMs, long transferred, long syncs) {
        return new QueryMigrate(status, totalTimeMs, 12, downtimeMs, -1, transferred, 0, 268_435_456, 20_000, 45_000,
                45_000L * 4096, 0, 0, syncs, 4096, 0, null);
    }

    @Test
    void downtime_is_source_stop_to_destination_resume_and_total_is_migrate_to_resume_with_qemus_own_figures_beside() {
        // given migrate at t, the source's STOP at t + 1.2 s, the destination's RESUME 70 ms later, QEMU's own downtime
        // 48 ms and total-time 1230 ms, and round 1 ending after 200 MB in 900 ms; its destination started in 280 ms
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        QemuAlone.Measured m = new QemuAlone.Measured(256L << 20, 64, 120_000, 280, t, t.plusMillis(1200), t.plusMillis(1270),
                sample("active", 900, -1, 200_000_000, 2), sample("completed", 1230, 48, 300_000_000, 5));

        // when summarised
        JsonNode n = QemuAlone.summary(m);

        // then the guest-visible figures carry the names the targets read, QEMU's are kept beside
        assertThat(n.path("downtimeMs").asLong()).isEqualTo(70);
        assertThat(n.path("totalMs").asLong()).isEqualTo(1270);
        assertThat(n.path("qemuDowntimeMs").asLong()).isEqualTo(48);
        assertThat(n.path("qemuTotalTimeMs").asLong()).isEqualTo(1230);
        assertThat(n.path("destinationStartMs").asLong()).isEqualTo(280);
        assertThat(n.path("precopyRound1Bytes").asLong()).isEqualTo(200_000_000);
        assertThat(n.path("precopyRound1Ms").asLong()).isEqualTo(900);
        assertThat(n.path("bytesSent").asLong()).isEqualTo(300_000_000);
        assertThat(n.path("rounds").asInt()).isEqualTo(4);
        assertThat(n.path("state").asString()).isEqualTo("COMPLETED");
    }
}
