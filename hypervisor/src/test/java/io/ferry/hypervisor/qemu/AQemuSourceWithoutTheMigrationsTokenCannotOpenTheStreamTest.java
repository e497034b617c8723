package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmInfo;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.HypervisorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** With ferry.agent.qemu.tls, QEMU's migration stream is TLS with the migration's one-time token as pre-shared key. */
class AQemuSourceWithoutTheMigrationsTokenCannotOpenTheStreamTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final TwoQemuHosts hosts = new TwoQemuHosts(16, true);

    @Test
    void a_source_holding_another_token_is_refused_and_its_guest_runs_on() throws Exception {
        // given a skeleton listening for migration m-1 with token A, and a running guest on the source
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 128);
        hosts.source.boot(spec);
        Path console = hosts.source.serialLog("SERVER2").orElseThrow();
        QemuGuests.await(console, Duration.ofSeconds(60), c -> QemuGuests.ticking(c, 3));
        String address = hosts.destination.prepareSkeleton(new MigrationTicket("m-1", "SERVER2", "token-A"), spec);
        MigrationTicket impostor = new MigrationTicket("m-1", "SERVER2", "token-B");

        // when the source tries to stream to it with token B
        hosts.source.connectSource(impostor, address);

        // then the TLS handshake fails, the pre-copy fails as a data-channel failure, and the guest keeps running here
        assertThatThrownBy(() -> hosts.source.precopy(impostor, new CopyPolicy(300, 0, 10, false, Compression.NONE,
                30_000), round -> {})).isInstanceOf(HypervisorException.class)
                .satisfies(e -> assertThat(((HypervisorException) e).reason()).isEqualTo("DATA_CHANNEL_FAILED"));
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        long ticks = SerialConsole.read(console).lastTick().n();
        QemuGuests.await(console, Duration.ofSeconds(30), c -> c.lastTick().n() >= ticks + 3);
        // and the key files, readable by their owner alone, are deleted once both hosts let the migration go
        try (var files = Files.walk(hosts.runDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("keys.psk")).toList()).hasSize(2)
                    .allSatisfy(p -> assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p))).isEqualTo("rw-------"));
        }
        hosts.source.abort(impostor);
        hosts.destination.abort(new MigrationTicket("m-1", "SERVER2", "token-A"));
        try (var files = Files.walk(hosts.runDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("keys.psk")).toList()).isEmpty();
        }
    }

    @Test
    void a_source_holding_the_same_token_streams_the_guest_over_tls() throws Exception {
        // given a skeleton listening for migration m-2 with token A, and a running guest on the source
        VmSpec spec = QemuGuests.spec(dir.resolve("shared").resolve("SERVER2.qcow2"), 128);
        hosts.source.boot(spec);
        QemuGuests.await(hosts.source.serialLog("SERVER2").orElseThrow(), Duration.ofSeconds(60),
                c -> QemuGuests.ticking(c, 3));
        MigrationTicket ticket = new MigrationTicket("m-2", "SERVER2", "token-A");
        hosts.source.connectSource(ticket, hosts.destination.prepareSkeleton(ticket, spec));

        // when the source streams with the same token
        var result = hosts.source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000),
                round -> {});

        // then the handshake succeeds and pre-copy converges (the guest runs on under the hold limit)
        assertThat(result.rounds()).isPositive();
        assertThat(hosts.source.vms()).extracting(VmInfo::state).containsExactly(VmState.RUNNING);
        hosts.destination.abort(ticket);
        hosts.source.abort(ticket);
        hosts.source.resumeAfterAbort(ticket);
    }
}
