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
 * A spare skeleton that died before a guest of its shape arrived is passed over: the arrival starts its own skeleton.
 */
class AnArrivalWhoseSpareDiedStartsASkeletonOfItsOwnTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(64);

    @Test
    void the_way_back_starts_its_own_skeleton_when_the_spare_is_gone() throws Exception {
        // given a guest that migrated from hv-01 to hv-02, and the spare hv-01 started on its memory killed
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 256);
        hosts.bootAndMigrateAway(spec);
        QemuGuests.eventually(() -> hosts.source.sparePidsForTests().size() == 1, WAIT,
                "a spare skeleton waits on hv-01");
        long spare = hosts.source.sparePidsForTests().getFirst();
        ProcessHandle.of(spare).ifPresent(ProcessHandle::destroyForcibly);
        QemuGuests.eventually(() -> ProcessHandle.of(spare).map(p -> !p.isAlive()).orElse(true), WAIT,
                "the spare is dead");

        // when the guest migrates back
        MigrationTicket back = QemuGuests.ticket();
        hosts.destination.connectSource(back, hosts.source.prepareSkeleton(back, spec));

        // then hv-01 started a skeleton of its own for it, and the guest arrives and runs there
        assertThat(hosts.source.pid("SERVER2")).isPresent().get().isNotEqualTo(spare);
        assertThat(hosts.source.ramFileForTests("SERVER2").orElseThrow().getFileName().toString())
                .startsWith("guest-SERVER2-in-");
        hosts.finishMigratingBack(back);
    }
}
