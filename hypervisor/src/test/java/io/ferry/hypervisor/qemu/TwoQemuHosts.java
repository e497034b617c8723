package io.ferry.hypervisor.qemu;

import io.ferry.devstack.Directories;
import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two QEMU hosts of this machine for one test: hv-01 (the source) and hv-02 (the destination), each guest
 * rewriting {@code dirtyMb} MiB; skips the test where QEMU is missing, and stops every QEMU afterwards.
 */
final class TwoQemuHosts implements BeforeEachCallback, AfterEachCallback {
    private final int dirtyMb;
    private final boolean tls;
    private Path runDir;
    QemuHypervisor source;
    QemuHypervisor destination;

    TwoQemuHosts(int dirtyMb) {
        this(dirtyMb, false);
    }

    /** @param tls TLS-PSK on the migration stream, keyed by the ticket's token */
    TwoQemuHosts(int dirtyMb, boolean tls) {
        this.dirtyMb = dirtyMb;
        this.tls = tls;
    }

    /** Boots {@code spec} on the source and waits until its guest ticks; returns its serial console. */
    Path bootTicking(VmSpec spec) throws InterruptedException {
        source.boot(spec);
        Path console = source.serialLog(spec.vmId()).orElseThrow();
        QemuGuests.await(console, Duration.ofSeconds(60), c -> QemuGuests.ticking(c, 3));
        return console;
    }

    /** A new migration of {@code spec}: the destination's skeleton listens and the source is connected to it. */
    MigrationTicket connect(VmSpec spec) {
        MigrationTicket ticket = QemuGuests.ticket();
        source.connectSource(ticket, destination.prepareSkeleton(ticket, spec));
        return ticket;
    }

    /** Pre-copies {@code ticket} with a 300 ms limit, uncapped, until it is ready and held; returns its rounds. */
    List<RoundStats> precopyUntilReady(MigrationTicket ticket) {
        List<RoundStats> rounds = new ArrayList<>();
        source.precopy(ticket, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000), rounds::add);
        return rounds;
    }

    /** Authorises the switchover of {@code ticket} and runs it to the end; returns how the source's QEMU left. */
    QemuHypervisor.Departure switchOver(MigrationTicket ticket) {
        source.finalCopy(ticket);
        source.releaseDisk(ticket);
        destination.resume(ticket);
        source.discardSource(ticket);
        return source.departure(ticket.migrationId()).orElseThrow();
    }

    /** Boots {@code spec} on hv-01 and migrates it to hv-02 to the end; returns how hv-01's QEMU left. */
    QemuHypervisor.Departure bootAndMigrateAway(VmSpec spec) throws InterruptedException {
        bootTicking(spec);
        MigrationTicket away = connect(spec);
        precopyUntilReady(away);
        return switchOver(away);
    }

    /** Runs {@code back} (hv-01's skeleton listens, hv-02 is connected to it) to the end; the guest ticks on hv-01. */
    void finishMigratingBack(MigrationTicket back) throws InterruptedException {
        destination.precopy(back, new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000), round -> { });
        destination.finalCopy(back);
        destination.releaseDisk(back);
        source.resume(back);
        destination.discardSource(back);
        Path console = source.serialLog(back.vmId()).orElseThrow();
        int ticks = SerialConsole.read(console).ticks().size();
        QemuGuests.await(console, Duration.ofSeconds(30), c -> QemuGuests.ticking(c, ticks + 3));
    }

    /** Where both hosts keep their QMP sockets, consoles and TLS keys. */
    Path runDir() {
        return runDir;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        QemuGuests.assumeQemu();
        runDir = Files.createTempDirectory("ferry-qemu-hosts");
        source = QemuGuests.host(runDir.resolve("hv-01"), dirtyMb, tls);
        destination = QemuGuests.host(runDir.resolve("hv-02"), dirtyMb, tls);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (source != null) {
            source.close();
        }
        if (destination != null) {
            destination.close();
        }
        if (runDir != null) {
            Directories.deleteRecursively(runDir);
        }
    }
}
