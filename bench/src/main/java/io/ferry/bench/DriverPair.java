package io.ferry.bench;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.ResumeResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.qemu.GuestImage;
import io.ferry.hypervisor.qemu.QemuHypervisor;
import io.ferry.hypervisor.qemu.QueryMigrate;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The two drivers side by side: one migration each of a guest with the same memory and the same dirty rate, through
 * the Hypervisor seam in this JVM (no orchestrator, no Kafka), over uncapped loopback with a 300 ms downtime limit.
 * The QEMU guest rewrites {@code dirtyMb} MiB in a loop; its write rate (read from its serial console) and the share of
 * memory it uses (QEMU's round-1 pages with content) become the simulated guest's hot-set workload and utilisation.
 * QEMU's figures are its own, from {@code query-migrate} at completion.
 */
final class DriverPair {
    private static final CopyPolicy POLICY = new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000);

    /**
     * One driver's migration.
     *
     * @param totalMs QEMU: query-migrate total-time (migrate to completed); simulated: pre-copy start to final copy done
     * @param downtimeMs QEMU: query-migrate downtime; simulated: pause to resume
     * @param pauseToResumeMs for both: the guest's pause (QEMU's STOP event) to the destination's resume
     */
    record Figures(String driver, long totalMs, long downtimeMs, long pauseToResumeMs, long bytesSent, int rounds,
            long memoryBytes) {
        double sentPerMemory() {
            return (double) bytesSent / memoryBytes;
        }
    }

    /** @param skipped why the pair did not run, or null */
    record Result(int memoryMb, int dirtyMb, double pageWritesPerSec, double utilisation, Figures qemu, Figures simulated,
            String skipped) {
        static Result skipped(int memoryMb, int dirtyMb, String why) {
            return new Result(memoryMb, dirtyMb, Double.NaN, Double.NaN, null, null, why);
        }
    }

    private DriverPair() {
    }

    static Result run(int memoryMb, int dirtyMb, Path workDir) throws Exception {
        if (!QemuHypervisor.installed("qemu-system-x86_64") || !QemuHypervisor.installed("qemu-img")) {
            return Result.skipped(memoryMb, dirtyMb, "qemu-system-x86_64 or qemu-img is not installed "
                    + "(apt-get install qemu-system-x86 qemu-utils busybox-static)");
        }
        Files.createDirectories(workDir);
        Path work = Files.createTempDirectory(workDir, "pair");
        GuestImage image = GuestImage.ensure(GuestImage.defaultDir());
        QemuRun qemu = qemu(image, memoryMb, dirtyMb, work);
        GuestWorkload workload = GuestWorkload.parse(String.format(Locale.ROOT, "hotset:%d:%s:1.0",
                Math.round(qemu.pageWritesPerSec), Double.toString(Math.min(1.0, (double) dirtyMb / memoryMb))));
        Figures simulated = simulated(memoryMb, workload, qemu.utilisation);
        return new Result(memoryMb, dirtyMb, qemu.pageWritesPerSec, qemu.utilisation, qemu.figures, simulated, null);
    }

    private record QemuRun(Figures figures, double pageWritesPerSec, double utilisation) {}

    private static QemuRun qemu(GuestImage image, int memoryMb, int dirtyMb, Path work) throws Exception {
        try (QemuHypervisor source = qemuHost(image, dirtyMb, work.resolve("hv-01"));
                QemuHypervisor destination = qemuHost(image, dirtyMb, work.resolve("hv-02"))) {
            VmSpec spec = new VmSpec("SERVER2", memoryMb, Scenario.QEMU_VCPUS, "52:54:00:12:34:56",
                    work.resolve("shared").resolve("SERVER2.qcow2").toString(), List.of());
            source.boot(spec);
            double pageWritesPerSec = GuestWriteRate.pageWritesPerSec(source.serialLog("SERVER2").orElseThrow(), dirtyMb);
            MigrationTicket ticket = ticket();
            Migration m = migrate(source, destination, ticket, spec);
            QemuHypervisor.Departure departure = source.departure(ticket.migrationId()).orElseThrow();
            QueryMigrate q = departure.migration();
            RoundStats first = m.rounds.getFirst();
            double utilisation = (double) (first.pagesSent() - first.zeroPages()) / (q.totalBytes() / q.pageSize());
            Figures figures = new Figures("qemu", q.totalTimeMs(), q.downtimeMs(),
                    Duration.between(departure.pausedAt(), m.resumed.resumedAt()).toMillis(), q.transferredBytes(),
                    m.precopy.rounds(), memoryMb * (1L << 20));
            return new QemuRun(figures, pageWritesPerSec, utilisation);
        }
    }

    private static Figures simulated(int memoryMb, GuestWorkload workload, double utilisation) throws Exception {
        SimulatedHypervisor.Settings settings = new SimulatedHypervisor.Settings(16_384, List.of(), utilisation,
                GuestWorkload.IDLE, ContentMix.DEFAULT, null, "127.0.0.1", 0, "127.0.0.1");
        try (SimulatedHypervisor source = new SimulatedHypervisor(settings, Clock.systemUTC());
                SimulatedHypervisor destination = new SimulatedHypervisor(settings, Clock.systemUTC())) {
            VmSpec spec = new VmSpec("SERVER2", memoryMb, Scenario.QEMU_VCPUS, "52:54:00:12:34:56", "/ferry/disks/SERVER2.vhdx", List.of());
            source.boot(spec, workload);
            Thread.sleep(1_000); // let the workload reach its rate, as the QEMU guest had
            Migration m = migrate(source, destination, ticket(), spec);
            long bytes = m.rounds.stream().mapToLong(RoundStats::bytesSent).sum() + m.finalCopy.bytesSent();
            long downtime = Duration.between(m.finalCopy.pausedAt(), m.resumed.resumedAt()).toMillis();
            return new Figures("simulated", m.copyMs, downtime, downtime, bytes, m.precopy.rounds(), memoryMb * (1L << 20));
        }
    }

    private record Migration(List<RoundStats> rounds, PrecopyResult precopy, FinalCopyResult finalCopy, ResumeResult resumed,
            long copyMs) {}

    /** The stages in the orchestrator's order, through the seam. */
    private static Migration migrate(Hypervisor source, Hypervisor destination, MigrationTicket ticket, VmSpec spec) {
        String address = destination.prepareSkeleton(ticket, spec);
        source.connectSource(ticket, address);
        List<RoundStats> rounds = new ArrayList<>();
        long started = System.nanoTime();
        PrecopyResult precopy = source.precopy(ticket, POLICY, rounds::add);
        FinalCopyResult finalCopy = source.finalCopy(ticket);
        long copyMs = (System.nanoTime() - started) / 1_000_000;
        source.releaseDisk(ticket);
        ResumeResult resumed = destination.resume(ticket);
        destination.announce(ticket);
        source.discardSource(ticket);
        return new Migration(rounds, precopy, finalCopy, resumed, copyMs);
    }

    private static QemuHypervisor qemuHost(GuestImage image, int dirtyMb, Path runDir) {
        return new QemuHypervisor(new QemuHypervisor.Settings("qemu-system-x86_64", image, "pc", "tcg", dirtyMb, 64, "none",
                runDir, 16_384, List.of(), "127.0.0.1", "127.0.0.1"), Clock.systemUTC());
    }

    private static MigrationTicket ticket() {
        return new MigrationTicket(UUID.randomUUID().toString(), "SERVER2", UUID.randomUUID().toString());
    }
}
