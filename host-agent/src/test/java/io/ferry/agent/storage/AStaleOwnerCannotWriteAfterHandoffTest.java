package io.ferry.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AStaleOwnerCannotWriteAfterHandoffTest {

    @TempDir
    Path shared;

    @Test
    void after_the_handoff_the_source_write_is_fenced_and_the_destination_write_lands() {
        // given hv-01 owns the disk, then hands it to hv-02
        StorageLeases leases = new StorageLeases(shared);
        long sourceEpoch = leases.acquire("SERVER2.vhdx", "hv-01").epoch();
        leases.release("SERVER2.vhdx", "hv-01");
        long destinationEpoch = leases.acquire("SERVER2.vhdx", "hv-02").epoch();

        // when the old owner still tries to write with its epoch, then it is rejected
        assertThat(destinationEpoch).isGreaterThan(sourceEpoch);
        assertThatThrownBy(() -> leases.write("SERVER2.vhdx", "hv-01", sourceEpoch, new byte[] {1}))
                .isInstanceOf(StorageLeaseException.class).hasMessageContaining("stale owner fenced");

        // and the new owner's write is accepted
        leases.write("SERVER2.vhdx", "hv-02", destinationEpoch, new byte[] {2});
    }

    @Test
    void a_held_lease_cannot_be_taken_by_another_host() {
        // given hv-01 holds the disk
        StorageLeases leases = new StorageLeases(shared);
        leases.acquire("SERVER2.vhdx", "hv-01");

        // when hv-02 tries to take it without a release, then it is refused, naming the holder
        assertThatThrownBy(() -> leases.acquire("SERVER2.vhdx", "hv-02")).isInstanceOf(StorageLeaseException.class)
                .hasMessageContaining("held by hv-01");
    }
}
