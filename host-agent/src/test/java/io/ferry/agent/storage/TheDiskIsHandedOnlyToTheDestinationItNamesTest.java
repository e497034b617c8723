package io.ferry.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's handoff addresses the disk to one destination for one migration: only that host, for that migration,
 * takes it, with the epoch raised by one; the source taking the disk back first withdraws it.
 */
class TheDiskIsHandedOnlyToTheDestinationItNamesTest {
    private static final String DISK = "SERVER2.vhdx";

    @TempDir
    Path shared;

    private static Handoff handoff(String migrationId) {
        Instant now = Instant.now();
        return Handoff.of(migrationId, "hv-01", "hv-02", "c0ffee", now, now, new Handoff.SourceTimes(10, -1, 2, 0));
    }

    @Test
    void the_named_destination_takes_it_for_that_migration_with_the_epoch_raised_by_one() {
        // given hv-01 holds the disk and hands it over to hv-02 for m-1
        StorageLeases leases = new StorageLeases(shared);
        long held = leases.acquire(DISK, "hv-01").epoch();
        leases.handOver(DISK, "hv-01", handoff("m-1"));

        // when another host, or hv-02 for another migration, tries to take it, then it is refused
        assertThatThrownBy(() -> leases.takeOver(DISK, "hv-03", "m-1")).isInstanceOf(StorageLeaseException.class)
                .hasMessageContaining("was not handed to hv-03");
        assertThatThrownBy(() -> leases.takeOver(DISK, "hv-02", "m-2")).isInstanceOf(StorageLeaseException.class);

        // and hv-02 waiting for m-1 sees the handoff with the source's checksum, and takes it at epoch + 1
        Handoff seen = leases.awaitHandoff(DISK, "hv-02", "m-1", Duration.ofSeconds(5));
        assertThat(seen.checksum()).isEqualTo("c0ffee");
        assertThat(seen.epoch()).isEqualTo(held);
        assertThat(leases.takeOver(DISK, "hv-02", "m-1").epoch()).isEqualTo(held + 1);
        assertThat(leases.current(DISK).owner()).isEqualTo("hv-02");
        assertThat(leases.handoff(DISK).orElseThrow().state()).isEqualTo(Handoff.State.TAKEN);
    }

    @Test
    void a_source_that_takes_the_disk_back_first_makes_the_takeover_fail() {
        // given hv-01 handed the disk to hv-02 for m-1
        StorageLeases leases = new StorageLeases(shared);
        leases.acquire(DISK, "hv-01");
        leases.handOver(DISK, "hv-01", handoff("m-1"));

        // when hv-01 takes it back (its rollback) before hv-02 took it
        long retaken = leases.acquire(DISK, "hv-01").epoch();

        // then hv-02 can no longer take it, and a wait for the handoff ends naming the refusal
        assertThatThrownBy(() -> leases.takeOver(DISK, "hv-02", "m-1")).isInstanceOf(StorageLeaseException.class);
        assertThatThrownBy(() -> leases.awaitHandoff(DISK, "hv-02", "m-1", Duration.ofSeconds(5)))
                .isInstanceOf(StorageLeaseException.class).hasMessageContaining("taken back by hv-01");
        assertThat(leases.current(DISK).owner()).isEqualTo("hv-01");
        assertThat(leases.current(DISK).epoch()).isEqualTo(retaken);
    }

    @Test
    void a_refused_handoff_leaves_the_disk_free_for_the_source() {
        // given hv-01 handed the disk to hv-02, whose copy turned out different
        StorageLeases leases = new StorageLeases(shared);
        leases.acquire(DISK, "hv-01");
        leases.handOver(DISK, "hv-01", handoff("m-1"));

        // when hv-02 refuses it
        leases.refuseHandoff(DISK, "hv-02", "m-1", "its copy differs:\n c:\\x = 1");

        // then nobody can take it over, and the source takes it back at once
        assertThatThrownBy(() -> leases.takeOver(DISK, "hv-02", "m-1")).isInstanceOf(StorageLeaseException.class);
        assertThat(leases.handoff(DISK).orElseThrow().refusal()).isEqualTo("its copy differs:\n c:\\x = 1");
        assertThat(leases.acquireWhenFree(DISK, "hv-01", Duration.ofSeconds(5)).owner()).isEqualTo("hv-01");
    }
}
