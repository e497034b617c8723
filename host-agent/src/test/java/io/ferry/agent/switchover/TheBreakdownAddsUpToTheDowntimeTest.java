package io.ferry.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.storage.Handoff;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The downtime breakdown's parts, what is left unexplained included, add up to the pause-to-resume total. */
class TheBreakdownAddsUpToTheDowntimeTest {

    @Test
    void the_phases_plus_other_equal_pause_to_resume() {
        // given a source that paused at T, sent its last page in 20 ms, its device state in 1 ms, checked the digest in
        // 2 ms and started the handoff at T + 24 ms; the destination took the disk at T + 25.5 ms and ran at T + 27 ms
        Instant paused = Instant.parse("2026-11-29T12:00:00Z");
        Handoff handoff = Handoff.of("m-1", "hv-01", "hv-02", "c", paused, paused.plusNanos(24_000_000),
                new Handoff.SourceTimes(20_000, 1_000, 2_000, 0));

        // when the destination states the breakdown
        Breakdown breakdown = Breakdown.of(handoff, paused.plusNanos(10_000_000), paused.plusNanos(25_500_000),
                paused.plusNanos(27_000_000));

        // then each phase is where it was measured and the rest is "other"
        assertThat(breakdown.totalUs()).isEqualTo(27_000);
        assertThat(breakdown.storageHandoffUs()).isEqualTo(1_500);
        assertThat(breakdown.resumeUs()).isEqualTo(1_500);
        assertThat(breakdown.otherUs()).isEqualTo(1_000);
        assertThat(breakdown.lastPageUs() + breakdown.deviceStateUs() + breakdown.digestCheckUs()
                + breakdown.storageHandoffUs() + breakdown.resumeUs() + breakdown.otherUs()
                + breakdown.authorisationWaitUs()).isEqualTo(breakdown.totalUs());
    }

    @Test
    void a_destination_still_loading_when_the_source_handed_over_counts_that_to_the_last_page() {
        // given a source that handed over at T + 24 ms, and a destination that had the stream loaded only at T + 30 ms
        Instant paused = Instant.parse("2026-11-29T12:00:00Z");
        Handoff handoff = Handoff.of("m-1", "hv-01", "hv-02", "c", paused, paused.plusNanos(24_000_000),
                new Handoff.SourceTimes(20_000, 1_000, 2_000, 0));

        // when it took the disk at T + 31 ms and ran at T + 32 ms
        Breakdown breakdown = Breakdown.of(handoff, paused.plusNanos(30_000_000), paused.plusNanos(31_000_000),
                paused.plusNanos(32_000_000));

        // then those 6 ms are the last page's, and the storage handoff is only the take-over
        assertThat(breakdown.lastPageUs()).isEqualTo(26_000);
        assertThat(breakdown.storageHandoffUs()).isEqualTo(1_000);
        assertThat(breakdown.otherUs()).isEqualTo(32_000 - 26_000 - 1_000 - 2_000 - 1_000 - 1_000);
    }

    @Test
    void a_driver_that_sends_the_device_state_inside_the_tail_has_none_of_its_own() {
        // given a QEMU source (device state inside the tail) whose guest waited 40 ms paused for the authorisation
        Instant paused = Instant.parse("2026-11-29T12:00:00Z");
        Handoff handoff = Handoff.of("m-1", "hv-01", "hv-02", "c", paused, paused.plusNanos(100_000_000),
                new Handoff.SourceTimes(50_000, -1, 5_000, 40_000));

        // when the breakdown is stated
        Breakdown breakdown = Breakdown.of(handoff, paused.plusNanos(90_000_000), paused.plusNanos(101_000_000),
                paused.plusNanos(102_000_000));

        // then the device state is unknown, not zero, and the wait is counted apart
        assertThat(breakdown.deviceStateUs()).isNull();
        assertThat(breakdown.authorisationWaitUs()).isEqualTo(40_000);
        assertThat(breakdown.otherUs()).isEqualTo(102_000 - 40_000 - 50_000 - 5_000 - 1_000 - 1_000);
    }
}
