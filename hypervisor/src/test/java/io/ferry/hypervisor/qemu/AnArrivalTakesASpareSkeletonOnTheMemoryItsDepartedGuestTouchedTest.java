package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that migrated away leaves its touched memory on the host it left, and a spare skeleton of its shape starts
 * there on that memory. The next arrival of that shape takes the spare (its devices plugged in) instead of starting a
 * QEMU, runs there with its own MAC and disk, and when it leaves again the next spare starts.
 */
class AnArrivalTakesASpareSkeletonOnTheMemoryItsDepartedGuestTouchedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void the_way_back_lands_in_a_spare_on_the_memory_the_guest_left_behind() throws Exception {
        // given a 256 MB guest that migrated from hv-01 to hv-02
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootTicking(spec);
        Path booted = hosts.source.ramFileForTests("SERVER2").orElseThrow();
        MigrationTicket away = hosts.connect(spec);
        hosts.precopyUntilReady(away);
        hosts.switchOver(away);
        QemuGuests.await(hosts.destination.serialLog("SERVER2").orElseThrow(), WAIT, c -> QemuGuests.ticking(c, 3));

        // then hv-01 starts a spare skeleton, which maps the memory the guest left
        QemuGuests.eventually(() -> hosts.source.sparePidsForTests().size() == 1, WAIT,
                "a spare skeleton waits on hv-01");
        long spare = hosts.source.sparePidsForTests().getFirst();
        assertThat(booted).doesNotExist();
        assertThat(hosts.source.keptRamBytesForTests()).as("the kept memory is the spare's now").isZero();

        // when the guest migrates back
        MigrationTicket back = QemuGuests.ticket();
        hosts.destination.connectSource(back, hosts.source.prepareSkeleton(back, spec));

        // then its skeleton is that spare, with the guest's own NIC and disk plugged in
        assertThat(hosts.source.pid("SERVER2")).contains(spare);
        assertThat(hosts.source.sparePidsForTests()).isEmpty();
        assertThat(hosts.source.ramFileForTests("SERVER2").orElseThrow().getFileName().toString())
                .startsWith("guest-spare-");
        assertThat(hosts.source.monitorForTests("SERVER2", "info network")).contains("macaddr=" + spec.macAddress());
        assertThat(hosts.source.monitorForTests("SERVER2", "info block")).contains(spec.diskPath());

        // and the guest that arrives in it runs
        hosts.finishMigratingBack(back);
        assertThat(hosts.source.monitorForTests("SERVER2", "info status")).contains("running");

        // and hv-02, which it left, has a spare of its own now
        QemuGuests.eventually(() -> hosts.destination.sparePidsForTests().size() == 1, WAIT,
                "a spare skeleton waits on hv-02");
        assertThat(hosts.destination.sparePidsForTests().getFirst()).isNotEqualTo(spare);
    }
}
