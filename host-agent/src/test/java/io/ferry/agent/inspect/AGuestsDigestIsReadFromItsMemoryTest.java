package io.ferry.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.GuestMemory;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AGuestsDigestIsReadFromItsMemoryTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 8, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private final SimulatedHypervisor host = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(),
            0.6, GuestWorkload.IDLE, null, null, "127.0.0.1", 0, "127.0.0.1"), java.time.Clock.systemUTC());

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void an_idle_guest_keeps_its_digest_and_a_write_to_its_memory_changes_it() {
        // given an idle guest, digested twice
        var guest = host.boot(SPEC);
        GuestDigests digests = new GuestDigests(host);
        String before = digests.guests().getFirst().memoryDigest();
        assertThat(digests.guests()).containsExactly(new GuestDigests.Guest("SERVER2", "RUNNING", before, null));

        // when one long of one page changes
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        guest.memory().read(7, page, 0);
        guest.memory().writeLong(7, 3, 42L ^ java.nio.ByteBuffer.wrap(page, 24, 8).getLong());

        // then the digest, read from the memory again, differs
        assertThat(digests.guests().getFirst().memoryDigest()).isNotNull().isNotEqualTo(before);
    }
}
