package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.qemu.QemuProcess.QemuStartException;
import io.ferry.schema.common.FailureReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU driver: each guest is a QEMU process driven over QMP, and QEMU's own migration stream carries the memory.
 * <ul>
 *   <li>setup: the destination starts the guest's QEMU with {@code -incoming defer -S} (the skeleton), sets its
 *       capabilities and listens with {@code migrate-incoming}; the source sets its capabilities;</li>
 *   <li>pre-copy: {@code migrate} with the downtime limit and bandwidth; converged at {@code pre-switchover};</li>
 *   <li>final copy: {@code migrate-continue} until {@code completed} (QEMU then gives up the disk image);</li>
 *   <li>storage: the lease moves only once the source's QEMU is {@code postmigrate}; the destination's QEMU takes the
 *       image (its write lock) when it runs;</li>
 *   <li>resume: {@code cont} on the destination once its stream has loaded; network: {@code announce-self};
 *       discarding the source: {@code quit}.</li>
 * </ul>
 */
public final class QemuHypervisor implements Hypervisor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QemuHypervisor.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SWITCHOVER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    /** How long QEMU may take from announcing the migration completed to leaving finish-migrate (normally ms). */
    static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final Clock clock;
    private final Map<String, QemuVm> vms = new ConcurrentHashMap<>();
    private final Map<String, QemuOutgoing> outgoing = new ConcurrentHashMap<>();
    private final Map<String, QemuIncoming> incoming = new ConcurrentHashMap<>();
    /** Migrations whose VM resumed here (ABORT refused); rebuilt at start from the kept guests' {@code arrivedBy}. */
    private final java.util.Set<String> resumedHere = ConcurrentHashMap.newKeySet();
    private final Map<String, Departure> departures = new ConcurrentHashMap<>();
    private final QemuGuestFiles guestFiles;
    private final GuestRam ram;
    private final SpareSkeletons spares;

    /**
     * @param image the guest's kernel and initramfs (see {@link GuestImage})
     * @param dirtyMb MiB each guest rewrites in a loop
     * @param runDir QMP sockets, serial consoles, pid files and QEMU's output
     */
    /**
     * @param tls TLS-PSK on the migration stream, keyed by the migration's one-time token ({@link QemuTls})
     * @param keepGuests running and paused guests outlive the agent (its close leaves their QEMUs running) and the
     *     next agent on this run directory re-attaches to them; false: every QEMU quits with the agent
     */
    public record Settings(String binary, GuestImage image, String machine, String accel, int dirtyMb, int diskMb,
            String diskCache, Path runDir, long totalMemoryMb, List<String> cpuFeatures, String bindHost,
            String advertisedHost, boolean tls, boolean keepGuests) {
        /** Guests that quit with the agent. */
        public Settings(String binary, GuestImage image, String machine, String accel, int dirtyMb, int diskMb,
                String diskCache, Path runDir, long totalMemoryMb, List<String> cpuFeatures, String bindHost,
                String advertisedHost, boolean tls) {
            this(binary, image, machine, accel, dirtyMb, diskMb, diskCache, runDir, totalMemoryMb, cpuFeatures, bindHost,
                    advertisedHost, tls, false);
        }

        /** Without TLS on the stream. */
        public Settings(String binary, GuestImage image, String machine, String accel, int dirtyMb, int diskMb,
                String diskCache, Path runDir, long totalMemoryMb, List<String> cpuFeatures, String bindHost,
                String advertisedHost) {
            this(binary, image, machine, accel, dirtyMb, diskMb, diskCache, runDir, totalMemoryMb, cpuFeatures, bindHost,
                    advertisedHost, false);
        }
    }

    /**
     * What became of a guest this host migrated away: kept for checks and the benchmark.
     *
     * @param runStateAtStop QEMU's run state just before {@code quit} ({@code postmigrate} after a completed migration)
     * @param migration QEMU's own figures at completion ({@code query-migrate})
     * @param pausedAt when QEMU stopped the guest for the switchover (its STOP event)
     * @param catchUpPasses the full-speed passes the final copy had QEMU run before the switch: 0 when it switched at once
     */
    public record Departure(String migrationId, String vmId, long pid, String runStateAtStop, QueryMigrate migration,
            Path serialLog, Instant pausedAt, int catchUpPasses) {}

    public QemuHypervisor(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            Files.createDirectories(settings.runDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the QEMU run directory " + settings.runDir(), e);
        }
        this.guestFiles = new QemuGuestFiles(settings.runDir());
        this.ram = GuestRam.open(settings.runDir());
        this.spares = new SpareSkeletons(settings, ram);
        int major = QemuVersion.major(settings.binary());
        if (QemuCommandLine.tcg(settings) && major < QemuCommandLine.FIXED_TCG_DIRTY_SYNC) {
            log.warn("{} is QEMU {} under TCG: QEMU before {}.0 can lose a guest's writes in a live migration (about one "
                    + "migration in a hundred here, even with ferry's workaround); install QEMU {}.0 or later (README, "
                    + "\"A QEMU bug\")", settings.binary(), major == 0 ? "of an unknown version" : major,
                    QemuCommandLine.FIXED_TCG_DIRTY_SYNC, QemuCommandLine.FIXED_TCG_DIRTY_SYNC);
        }
        java.util.Set<Path> kept = settings.keepGuests()
                ? QemuReadoption.readopt(settings.runDir(), guestFiles, this::adopted) : java.util.Set.of();
        StaleQemus.reap(settings.runDir(), kept);
        ram.forgetAllBut(ram.inUse());
    }

    private void adopted(QemuVm vm) {
        if (vms.putIfAbsent(vm.spec.vmId(), vm) != null) {
            // two QEMUs of one guest: keep the first, stop the other rather than run the guest twice
            log.error("QEMU pid {} ({}) runs {} a second time here; stopping it", vm.process.pid(), vm.name, vm.spec.vmId());
            guestFiles.delete(vm.name);
            vm.quit(QUIT_GRACE);
            return;
        }
        ram.fileOnCommandLine(vm.process.arguments()).ifPresent(file -> {
            ram.adopt(file);
            vm.process.onExit().thenRun(() -> ram.release(file));
        });
        if (vm.arrivedBy() != null) {
            // It resumed here for that migration: an ABORT for it must still be refused after this restart.
            resumedHere.add(vm.arrivedBy());
        }
        watch(vm);
        log.info("re-adopted {} ({} MB) {}: QEMU pid {}", vm.spec.vmId(), vm.spec.memoryMb(), vm.state(), vm.process.pid());
    }

    /**
     * Whether this host should boot its start-up inventory: on its first start, or always when guests are not kept. A
     * restarted agent re-adopts the QEMUs described in its run directory instead, which may be fewer (a guest migrated
     * away) or more (one migrated here) than the inventory setting names.
     */
    public boolean bootsInventory() {
        return !settings.keepGuests() || !guestFiles.initialised();
    }

    /** Marks the start-up inventory booted: later starts re-adopt from the run directory. */
    public void inventoryBooted() {
        if (settings.keepGuests()) {
            guestFiles.markInitialised();
        }
    }

    /** Whether {@code binary} (a path, or a name looked up on the PATH) is an executable here. */
    public static boolean installed(String binary) {
        if (binary.contains("/")) {
            return Files.isExecutable(Path.of(binary));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, binary)));
    }

    /** Boots a guest of this host's inventory, creating its qcow2 disk when there is none yet. */
    public void boot(VmSpec spec) {
        if (spec.memoryMb() > freeMemoryMb()) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "cannot boot " + spec.vmId() + " with " + spec.memoryMb()
                    + " MB: only " + freeMemoryMb() + " MB free");
        }
        if (vms.containsKey(spec.vmId())) {
            throw new IllegalArgumentException("VM " + spec.vmId() + " already exists on this host");
        }
        Disk.ensure(Path.of(spec.diskPath()), settings.diskMb());
        QemuVm vm = start(spec, spec.vmId(), false);
        if (vms.putIfAbsent(spec.vmId(), vm) != null) {
            vm.quit(QUIT_GRACE);
            throw new IllegalArgumentException("VM " + spec.vmId() + " already exists on this host");
        }
        describe(vm);
    }

    private void describe(QemuVm vm) {
        if (settings.keepGuests()) {
            guestFiles.save(vm.name, vm.spec, vm.process.pid(), QemuCommandLine.Files.in(settings.runDir(), vm.name),
                    vm.state(), vm.arrivedBy());
        }
    }

    /**
     * Pages {@code calc-dirty-rate} hashes per GiB of guest memory: QEMU's most (its default, 512, hashes 128 pages of a
     * 256 MB guest, and a 64 MiB working set then reads anywhere from 15.8 k to 20.5 k pages over one second).
     */
    private static final int SAMPLE_PAGES_PER_GIB = 4096;

    /**
     * QEMU measures it: {@code calc-dirty-rate} (page-sampling: it hashes sampled pages at the start and the end, so
     * it counts distinct pages changed, and does not touch a migration's dirty log) over one second and then two, whose
     * two rates give the curve's two points. QEMU does not say which pages the guest used or which are zero: every page
     * counts as used and none as zero (QEMU does send zero pages as a marker, so round 1 is predicted long).
     */
    @Override
    public java.util.Optional<io.ferry.hypervisor.estimate.GuestSample> sample(String vmId, java.time.Duration window) {
        QemuVm vm = vms.get(vmId);
        if (vm == null || vm.state() != VmState.RUNNING || outgoing.values().stream().anyMatch(o -> o.vm == vm)) {
            return java.util.Optional.empty(); // not while it migrates: QEMU's CPU is the pre-copy's
        }
        long pages = vm.spec.memoryMb() * 256L;
        try {
            List<io.ferry.hypervisor.estimate.DirtyCurve.Point> points = new java.util.ArrayList<>();
            long seconds = Math.max(1, window.toSeconds() / 2);
            for (long calc : new long[] {seconds, 2 * seconds}) {
                vm.qmp().execute("calc-dirty-rate", Map.of("calc-time", calc, "sample-pages", SAMPLE_PAGES_PER_GIB));
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(calc + 5).toNanos();
                while (true) {
                    tools.jackson.databind.JsonNode rate = vm.qmp().execute("query-dirty-rate");
                    if ("measured".equals(rate.path("status").asString(""))) {
                        points.add(new io.ferry.hypervisor.estimate.DirtyCurve.Point(calc,
                                rate.path("dirty-rate").asLong(0) * 256.0 * calc));
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        return java.util.Optional.empty();
                    }
                    Thread.sleep(100); // QEMU reports the measurement only by being asked
                }
            }
            var curve = io.ferry.hypervisor.estimate.DirtyCurve.fit(points, pages);
            return java.util.Optional.of(new io.ferry.hypervisor.estimate.GuestSample(java.time.Instant.now(), seconds * 3000,
                    curve.pagesPerSec(), curve.workingSetPages(), pages, pages, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (QmpException | IllegalStateException e) {
            log.debug("could not sample {}'s dirty rate: {}", vmId, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    @Override
    public String driverName() {
        return "qemu";
    }

    @Override
    public List<VmInfo> vms() {
        return vms.values().stream().map(vm -> new VmInfo(vm.spec, vm.state())).toList();
    }

    @Override
    public long totalMemoryMb() {
        return settings.totalMemoryMb();
    }

    @Override
    public long freeMemoryMb() {
        return settings.totalMemoryMb() - vms.values().stream().mapToLong(vm -> vm.spec.memoryMb()).sum();
    }

    @Override
    public List<String> cpuFeatures() {
        return settings.cpuFeatures();
    }

    @Override
    public String prepareSkeleton(MigrationTicket ticket, VmSpec spec) {
        QemuIncoming existing = incoming.get(ticket.migrationId());
        if (existing != null) {
            return existing.address; // a redelivered command: the skeleton already listens
        }
        if (vms.containsKey(spec.vmId())) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "VM " + spec.vmId() + " already exists on this host");
        }
        if (spec.memoryMb() > freeMemoryMb()) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "need " + spec.memoryMb() + " MB for " + spec.vmId()
                    + " but only " + freeMemoryMb() + " MB are free");
        }
        QemuVm skeleton;
        try {
            skeleton = start(spec, spec.vmId() + "-in-" + shortId(ticket), true);
        } catch (QemuStartException e) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, e.getMessage(), e);
        }
        vms.put(spec.vmId(), skeleton);
        try {
            QemuIncoming listening = QemuIncoming.listen(ticket.migrationId(), skeleton, settings.bindHost(),
                    settings.advertisedHost(), settings.tls() ? settings.runDir() : null, ticket.token());
            incoming.put(ticket.migrationId(), listening);
            log.info("skeleton of {} listens on {} (QEMU pid {})", spec.vmId(), listening.address, skeleton.process.pid());
            return listening.address;
        } catch (QmpException e) {
            vms.remove(spec.vmId(), skeleton);
            skeleton.quit(QUIT_GRACE);
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "the skeleton of " + spec.vmId() + " could not listen for "
                    + "the migration: " + e.getMessage() + "; " + skeleton.process.logTail(), e);
        }
    }

    @Override
    public void connectSource(MigrationTicket ticket, String dataAddress) {
        QemuVm vm = vm(ticket.vmId());
        if (outgoing.containsKey(ticket.migrationId())) {
            return; // a redelivered command
        }
        if (dataAddress == null || !dataAddress.matches("[^\\s:]+:\\d+|\\[[0-9a-fA-F:]+]:\\d+")) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "the destination's address '" + dataAddress
                    + "' is not HOST:PORT");
        }
        if (vm.state() != VmState.RUNNING) {
            throw new HypervisorException(FailureReason.AGENT_ERROR, ticket.vmId() + " is " + vm.state() + " here, not RUNNING: "
                    + "only a running guest is migrated");
        }
        try {
            // QEMU opens the TCP connection itself when pre-copy starts: a probe now would be taken for the stream.
            vm.qmp().execute("migrate-set-capabilities", Map.of("capabilities", List.of(
                    Map.of("capability", "events", "state", true),
                    Map.of("capability", "pause-before-switchover", "state", true))));
            if (settings.tls()) {
                QemuTls.enable(vm, settings.runDir(), ticket.migrationId(), ticket.token(), "client");
            }
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "QEMU would not prepare " + ticket.vmId()
                    + " for migration: " + e.desc() + " (is a migration of it already running?)", e);
        }
        outgoing.put(ticket.migrationId(), new QemuOutgoing(ticket.migrationId(), vm, dataAddress));
    }

    @Override
    public PrecopyResult precopy(MigrationTicket ticket, CopyPolicy policy, Consumer<RoundStats> onRound) {
        return new QemuPrecopy(session(ticket), policy, onRound).run();
    }

    @Override
    public FinalCopyResult finalCopy(MigrationTicket ticket) {
        return session(ticket).finalCopy(SWITCHOVER_TIMEOUT);
    }

    /**
     * Stage 4, source: the lease may go only once QEMU gave the image up, i.e. the switchover completed and QEMU is
     * postmigrate; a QEMU still in finish-migrate (it announces completion a moment before) is waited for.
     */
    @Override
    public void releaseDisk(MigrationTicket ticket) {
        QemuVm vm = vms.get(ticket.vmId());
        if (vm == null || !vm.alive()) {
            return; // no QEMU here holds the image
        }
        DiskHandoff.confirm(ticket.vmId(), vm, HANDOFF_TIMEOUT, System::nanoTime);
    }

    @Override
    public String awaitArrival(MigrationTicket ticket, Duration timeout) {
        QemuIncoming in = incoming.get(ticket.migrationId());
        if (in == null) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "no incoming migration " + ticket.migrationId() + " on this host");
        }
        return in.awaitArrival(timeout);
    }

    @Override
    public ResumeResult resume(MigrationTicket ticket) {
        QemuIncoming in = incoming.get(ticket.migrationId());
        if (in == null) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "no incoming migration " + ticket.migrationId() + " on this host");
        }
        ResumeResult resumed = in.resume(clock, SWITCHOVER_TIMEOUT);
        incoming.remove(ticket.migrationId());
        resumedHere.add(ticket.migrationId());
        in.skeleton.arrived(ticket.migrationId());
        describe(in.skeleton); // from now on a guest of this host, kept across agent restarts
        QemuTls.forget(settings.runDir(), ticket.migrationId());
        log.info("{} runs here (QEMU pid {})", ticket.vmId(), in.skeleton.process.pid());
        return resumed;
    }

    /** The register digest both hosts take at the switchover (SHA-256 and its hex text). */
    @Override
    public void warmUp() {
        String registers = "RAX=0000000000000000 RBX=0000000000000000 ".repeat(200);
        for (int i = 0; i < 40; i++) {
            QemuVm.digest(registers + i);
        }
    }

    /** Stage 6, destination: QEMU sends RARP announcements of the guest's MAC so switches learn its new port. */
    @Override
    public void announce(MigrationTicket ticket) {
        QemuVm vm = vms.get(ticket.vmId());
        if (vm == null || !vm.alive()) {
            throw new HypervisorException(FailureReason.AGENT_ERROR, ticket.vmId() + " does not run on this host: nothing to announce");
        }
        try {
            vm.qmp().execute("announce-self", Map.of("initial", 50, "max", 550, "rounds", 5, "step", 100));
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.AGENT_ERROR, "QEMU could not announce " + ticket.vmId() + ": " + e.desc(), e);
        }
    }

    @Override
    public void discardSource(MigrationTicket ticket) {
        QemuOutgoing session = outgoing.remove(ticket.migrationId());
        QemuTls.forget(settings.runDir(), ticket.migrationId());
        QemuVm vm = vms.get(ticket.vmId());
        if (vm == null || vm.state() == VmState.RUNNING) {
            return; // nothing paused here to drop (a redelivery, or the guest runs here)
        }
        String runState = vm.alive() ? vm.runState() : "exited";
        vms.remove(ticket.vmId(), vm);
        guestFiles.delete(vm.name);
        vm.quit(QUIT_GRACE);
        departures.put(ticket.migrationId(), new Departure(ticket.migrationId(), ticket.vmId(), vm.process.pid(), runState,
                session == null ? null : session.completed, vm.serialLog, session == null ? null : session.pausedAt,
                session == null ? 0 : session.catchUpPasses));
        log.info("source copy of {} dropped: QEMU pid {} was {} and has quit", ticket.vmId(), vm.process.pid(), runState);
    }

    @Override
    public void abort(MigrationTicket ticket) {
        if (resumedHere.contains(ticket.migrationId())) {
            throw new HypervisorException(FailureReason.ROLLBACK_REFUSED, ticket.vmId() + " already resumed on this host for migration "
                    + ticket.migrationId() + "; past resume a migration only moves forward, so it keeps running here");
        }
        QemuTls.forget(settings.runDir(), ticket.migrationId());
        QemuOutgoing out = outgoing.remove(ticket.migrationId());
        if (out != null && out.vm.alive()) {
            QemuOutgoing.cancelAndRun(out.vm);
        }
        QemuIncoming in = incoming.remove(ticket.migrationId());
        if (in != null) {
            vms.remove(ticket.vmId(), in.skeleton);
            in.skeleton.quit(QUIT_GRACE);
            log.info("skeleton of {} dropped (QEMU pid {} quit)", ticket.vmId(), in.skeleton.process.pid());
        }
    }

    @Override
    public void resumeAfterAbort(MigrationTicket ticket) {
        QemuVm vm = vms.get(ticket.vmId());
        if (vm == null || !vm.alive()) {
            return;
        }
        try {
            String runState = vm.runState();
            if (!runState.equals("running")) {
                vm.cont(); // after a completed switchover QEMU takes the disk image back first (fails if another holds it)
                log.info("{} runs again on the source (it was {})", ticket.vmId(), runState);
            }
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "QEMU would not run " + ticket.vmId() + " again on the source: "
                    + e.desc() + (e.desc().contains("lock") ? " (the destination's QEMU holds the disk image: the guest may "
                    + "run there; do not force it here)" : ""), e);
        }
    }

    /** The guest's serial console here: its TICK lines. */
    public Optional<Path> serialLog(String vmId) {
        return Optional.ofNullable(vms.get(vmId)).map(vm -> vm.serialLog);
    }

    /** The pid of the guest's QEMU here. */
    public Optional<Long> pid(String vmId) {
        return Optional.ofNullable(vms.get(vmId)).map(vm -> vm.process.pid());
    }

    public Optional<Departure> departure(String migrationId) {
        return Optional.ofNullable(departures.get(migrationId));
    }

    /** The source's last query-migrate of a migration still here (not yet discarded). */
    public Optional<QueryMigrate> outgoingFigures(String migrationId) {
        return Optional.ofNullable(outgoing.get(migrationId)).map(o -> o.completed != null ? o.completed : o.reported);
    }

    private QemuVm start(VmSpec spec, String name, boolean skeleton) {
        if (skeleton) {
            Optional<SpareSkeletons.Spare> spare = spares.take(shape(spec), QemuCommandLine.devices(settings, spec));
            if (spare.isPresent()) {
                log.info("{} arrives in the spare skeleton {} (QEMU pid {})", spec.vmId(), spare.get().name(),
                        spare.get().process().pid());
                QemuVm vm = new QemuVm(spec, spare.get().name(), spare.get().process(), spare.get().files().serial(),
                        VmState.SKELETON);
                watch(vm);
                return vm;
            }
        }
        QemuCommandLine.Files files = QemuCommandLine.Files.in(settings.runDir(), name);
        Optional<GuestRam.Claim> memory = ram.claim(name, QemuCommandLine.ramKib(settings, spec) * 1024);
        Optional<String> memoryFile = memory.map(claim -> claim.file().toString());
        boolean warm = memory.map(GuestRam.Claim::warm).orElse(false);
        List<String> command = skeleton ? QemuCommandLine.skeleton(settings, spec, files, memoryFile, warm)
                : QemuCommandLine.guest(settings, spec, files, memoryFile);
        QemuProcess process;
        try {
            process = QemuProcess.start(name, command, files, START_TIMEOUT);
        } catch (RuntimeException e) {
            memory.ifPresent(claim -> ram.release(claim.file()));
            throw e;
        }
        memory.ifPresent(claim -> {
            // the memory it leaves behind gets a spare skeleton of its shape (the next arrival's)
            spares.releaseOnExit(process, claim.file(), shape(spec), () -> true);
            if (claim.warm()) {
                log.info("{} maps memory a guest that left had touched ({})", name, claim.file().getFileName());
            }
        });
        QemuVm vm = new QemuVm(spec, name, process, files.serial(), skeleton ? VmState.SKELETON : VmState.RUNNING);
        watch(vm);
        return vm;
    }

    private SpareSkeletons.Shape shape(VmSpec spec) {
        return new SpareSkeletons.Shape(QemuCommandLine.ramKib(settings, spec), spec.vcpus());
    }

    /** A QEMU that exits on its own leaves the inventory (and its description goes). */
    private void watch(QemuVm vm) {
        vm.process.onExit().thenRun(() -> {
            if (vms.remove(vm.spec.vmId(), vm)) {
                guestFiles.delete(vm.name);
                log.warn("QEMU of {} (pid {}) exited ({}): {}", vm.spec.vmId(), vm.process.pid(),
                        vm.process.exitDescription(), vm.process.logTail());
            }
        });
    }

    private QemuVm vm(String vmId) {
        QemuVm vm = vms.get(vmId);
        if (vm == null) {
            throw new HypervisorException(FailureReason.AGENT_ERROR, "VM " + vmId + " is not on this host");
        }
        return vm;
    }

    private QemuOutgoing session(MigrationTicket ticket) {
        QemuOutgoing session = outgoing.get(ticket.migrationId());
        if (session == null) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "no migration " + ticket.migrationId() + " is prepared on "
                    + "this host (was CONNECT_SOURCE done here?)");
        }
        return session;
    }

    private static String shortId(MigrationTicket ticket) {
        String id = ticket.migrationId().replaceAll("[^A-Za-z0-9]", "");
        return id.substring(0, Math.min(8, id.length()));
    }

    /**
     * The agent stops. With guests kept, running and paused guests go on in their QEMUs for the next agent to re-adopt;
     * what only made sense inside this agent's migrations is undone: an outgoing migration not yet completed is
     * cancelled (the guest runs on here) and skeletons quit. Without, every QEMU quits.
     */
    @Override
    public void close() {
        spares.close();
        if (!settings.keepGuests()) {
            stopGuests();
            ram.close(false);
            return;
        }
        for (QemuOutgoing out : List.copyOf(outgoing.values())) {
            if (out.completed == null && out.vm.alive()) {
                QemuOutgoing.cancelAndRun(out.vm);
            }
        }
        outgoing.clear();
        List<QemuVm> all = List.copyOf(vms.values());
        vms.clear();
        incoming.clear();
        for (QemuVm vm : all) {
            if (vm.state() == VmState.SKELETON) {
                vm.quit(QUIT_GRACE);
                log.info("skeleton of {} stopped with the agent (QEMU pid {})", vm.spec.vmId(), vm.process.pid());
            } else {
                describe(vm); // with its state now
                vm.process.detach();
                log.info("{} runs on in QEMU pid {} ({}) for the next agent to re-adopt", vm.spec.vmId(), vm.process.pid(),
                        vm.state());
            }
        }
        ram.close(true);
    }

    /** For tests: memory departed guests left here, kept for arrivals. */
    long keptRamBytesForTests() {
        return ram.kept();
    }

    /** For tests: the QEMU pids of the spare skeletons waiting here. */
    List<Long> sparePidsForTests() {
        return spares.waiting();
    }

    /** For tests: what the guest's QEMU answers to a monitor command (e.g. {@code info network}). */
    String monitorForTests(String vmId, String command) {
        return vm(vmId).qmp().execute("human-monitor-command", Map.of("command-line", command)).asString("");
    }

    /** For tests: the RAM file the guest's QEMU maps here. */
    Optional<Path> ramFileForTests(String vmId) {
        return Optional.ofNullable(vms.get(vmId)).flatMap(vm -> ram.fileOnCommandLine(vm.process.arguments()));
    }

    /** For tests: the final copy's first step only, leaving QEMU at pre-switchover with the guest stopped. */
    void pauseAtGateForTests(MigrationTicket ticket) throws InterruptedException {
        session(ticket).pauseAtGate(Instant.now());
    }

    /** For tests: the guest's RAM as QEMU holds it now (pmemsave), read while it is paused, into {@code file}. */
    void saveMemoryForTests(String vmId, Path file) {
        QemuVm vm = vm(vmId);
        vm.qmp().execute("pmemsave", Map.of("val", 0, "size", QemuCommandLine.ramKib(settings, vm.spec) * 1024,
                "filename", file.toString()), Duration.ofSeconds(60));
    }

    /**
     * What an agent killed with -9 leaves behind, for tests: every QEMU as it is (mid-migration too), its QMP
     * connection closed, nothing cleaned up.
     */
    void abandonForTests() {
        spares.close();
        List<QemuVm> all = List.copyOf(vms.values());
        vms.clear();
        outgoing.clear();
        incoming.clear();
        all.forEach(vm -> vm.process.detach());
        ram.close(true);
    }

    /** Stops every guest of this host (its QEMU quits) and forgets it: the next agent boots its inventory afresh. */
    public void stopGuests() {
        List<QemuVm> all = List.copyOf(vms.values());
        vms.clear();
        all.parallelStream().forEach(vm -> {
            guestFiles.delete(vm.name);
            vm.quit(QUIT_GRACE);
        });
    }

    /**
     * Stops every QEMU an agent left running in {@code runDir} and forgets its guests, e.g. when a whole stack is torn
     * down: no agent is to re-adopt them.
     */
    public static void stopLeftovers(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        new QemuGuestFiles(runDir).forgetAll();
        StaleQemus.reap(runDir);
        GuestRam.forget(Path.of("/dev/shm"), runDir);
    }
}
