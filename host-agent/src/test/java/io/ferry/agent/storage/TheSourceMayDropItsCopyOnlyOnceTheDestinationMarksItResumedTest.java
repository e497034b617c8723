package io.ferry.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOP_SOURCE goes out with the switchover, so the source's only signal that the guest runs elsewhere is the lease:
 * the destination marks the handoff resumed after its resume. Taken is not enough (a resume may still fail), and a
 * refused handoff means the source keeps its copy.
 */
class TheSourceMayDropItsCopyOnlyOnceTheDestinationMarksItResumedTest {
    private static final String DISK = "SERVER2.vhdx";

    @TempDir
    Path shared;

    private StorageLeases handedOver() {
        StorageLeases leases = new StorageLeases(shared);
        leases.acquire(DISK, "hv-01");
        Instant now = Instant.now();
        leases.handOver(DISK, "hv-01", Handoff.of("m-1", "hv-01", "hv-02", "c0ffee", now, now,
                new Handoff.SourceTimes(10, -1, 2, 0)));
        return leases;
    }

    @Test
    void a_taken_handoff_is_not_enough_and_the_mark_of_the_destination_is() {
        // given hv-02 took the disk for m-1 but has not resumed the guest
        StorageLeases leases = handedOver();
        leases.takeOver(DISK, "hv-02", "m-1");

        // when the source waits, then it is still waiting when its time runs out
        assertThatThrownBy(() -> leases.awaitResumed(DISK, "m-1", Duration.ofMillis(50)))
                .isInstanceOf(StorageLeaseException.class).hasMessageContaining("had not resumed");

        // and when hv-02 marks it resumed, the wait returns that handoff at once
        leases.markResumed(DISK, "hv-02", "m-1");
        Handoff seen = leases.awaitResumed(DISK, "m-1", Duration.ofSeconds(5));
        assertThat(seen.state()).isEqualTo(Handoff.State.RESUMED);
        assertThat(leases.current(DISK).owner()).isEqualTo("hv-02");
    }

    @Test
    void only_the_host_that_took_it_over_can_mark_it_resumed() {
        // given a handoff still pending, then taken by hv-02
        StorageLeases leases = handedOver();

        // when anyone marks it before the takeover, or another host after it, then it is refused
        assertThatThrownBy(() -> leases.markResumed(DISK, "hv-02", "m-1")).isInstanceOf(StorageLeaseException.class);
        leases.takeOver(DISK, "hv-02", "m-1");
        assertThatThrownBy(() -> leases.markResumed(DISK, "hv-03", "m-1")).isInstanceOf(StorageLeaseException.class)
                .hasMessageContaining("hv-03 cannot mark");
        assertThat(leases.handoff(DISK).orElseThrow().state()).isEqualTo(Handoff.State.TAKEN);
    }

    @Test
    void a_refused_handoff_ends_the_wait_naming_the_refusal() {
        // given hv-02 refused the handoff (its copy differs)
        StorageLeases leases = handedOver();
        leases.refuseHandoff(DISK, "hv-02", "m-1", "its copy differs");

        // when the source waits to drop its copy, then the wait ends at once, naming why
        assertThatThrownBy(() -> leases.awaitResumed(DISK, "m-1", Duration.ofSeconds(30)))
                .isInstanceOf(StorageLeaseException.class).hasMessageContaining("its copy differs")
                .hasMessageContaining("the source keeps its copy");
    }
}
