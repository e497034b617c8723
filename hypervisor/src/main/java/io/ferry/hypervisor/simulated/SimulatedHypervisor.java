package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import io.ferry.schema.common.FailureReason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The first driver: guests are {@link SimulatedVm}s and memory travels over ferry's own TCP data channel. */
public final class SimulatedHypervisor implements Hypervisor, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SimulatedHypervisor.class);
    private final long totalMemoryMb;
    private final List<String> cpuFeatures;
    private final double utilisation;
    private final GuestWorkload workload;
    private final ContentMix contentMix;
    private final Path memoryDir;
    private final Clock clock;
    private final DataChannelServer dataChannel;
    /** Where guests are kept so a restarted agent re-adopts them; null: they die with the agent. */
    private final GuestStore store;
    private final Map<String, SimulatedVm> vms = new ConcurrentHashMap<>();
    private final Map<String, OutgoingMigration> outgoing = new ConcurrentHashMap<>();
    private final Map<String, IncomingMigration> incoming = new ConcurrentHashMap<>();
    /**
     * Migrations whose VM resumed here: an ABORT for them is refused (the migration only moves forward). Rebuilt at start
     * from the guests kept in the run directory, which name the migration that brought them.
     */
    private final java.util.Set<String> resumedHere = ConcurrentHashMap.newKeySet();
    /** Page checksums at switchover (source at pause, destination at resume), kept for the last few migrations. */
    private final Map<String, int[]> fingerprints = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > 16;
        }
    });

    /**
     * Kept guests' pages live in the run directory, unless the memory directory is hugetlbfs: then there, in a
     * directory of this host's own, since hugetlbfs holds mappings but not the descriptions beside them.
     */
    private static Path keptMemoryDir(Settings settings) {
        return settings.memoryDir() != null && GuestMemory.onHugePages(settings.memoryDir())
                ? settings.memoryDir().resolve(settings.runDir().getFileName().toString()) : settings.runDir();
    }

    public SimulatedHypervisor(Settings settings, Clock clock) {
        this.totalMemoryMb = settings.totalMemoryMb();
        this.cpuFeatures = List.copyOf(settings.cpuFeatures());
        this.utilisation = settings.utilisation();
        this.workload = settings.workload();
        this.contentMix = settings.contentMix();
        this.memoryDir = settings.memoryDir();
        this.clock = clock;
        this.dataChannel = new DataChannelServer(settings.bindHost(), settings.dataPort(), settings.advertisedHost());
        this.store = settings.runDir() == null ? null : new GuestStore(settings.runDir(), keptMemoryDir(settings));
        if (store != null) {
            for (GuestStore.Saved saved : store.adoptable()) {
                vms.put(saved.spec().vmId(), SimulatedVm.adopt(saved, store));
                if (saved.arrivedBy() != null) {
                    // It resumed here for that migration: an ABORT for it must still be refused after this restart, or
                    // the source would take the disk back and run the guest too.
                    resumedHere.add(saved.arrivedBy());
                }
                log.info("re-adopted {} ({} MB, {}) from {}", saved.spec().vmId(), saved.spec().memoryMb(), saved.state(),
                        store.dir());
            }
        }
    }

    /**
     * Whether this host should boot its start-up inventory: on its first start, or always when guests are not kept.
     * A restarted agent re-adopts what its run directory holds instead, which may be less (a guest migrated away) or
     * more (one migrated here) than the inventory setting names.
     */
    public boolean bootsInventory() {
        return store == null || !store.initialised();
    }

    /** Marks the start-up inventory booted: later starts re-adopt from the run directory. */
    public void inventoryBooted() {
        if (store != null) {
            store.markInitialised();
        }
    }

    /**
     * @param workload what a booted guest runs unless it is given its own, and what a skeleton runs once resumed
     * @param contentMix what the pages a booted guest already used contain
     * @param memoryDir where guest memory is mapped from; null: /dev/shm when usable, else java.io.tmpdir
     */
    /**
     * @param runDir where guests are kept (memory and description) so that they outlive the agent and a restarted
     *     agent re-adopts them; null: guest memory is unlinked and dies with the process
     */
    public record Settings(long totalMemoryMb, List<String> cpuFeatures, double utilisation, GuestWorkload workload,
            ContentMix contentMix, Path memoryDir, String bindHost, int dataPort, String advertisedHost, Path runDir) {
        public Settings {
            workload = workload == null ? GuestWorkload.IDLE : workload;
            contentMix = contentMix == null ? ContentMix.DEFAULT : contentMix;
        }

        /** Guests that die with the agent. */
        public Settings(long totalMemoryMb, List<String> cpuFeatures, double utilisation, GuestWorkload workload,
                ContentMix contentMix, Path memoryDir, String bindHost, int dataPort, String advertisedHost) {
            this(totalMemoryMb, cpuFeatures, utilisation, workload, contentMix, memoryDir, bindHost, dataPort, advertisedHost,
                    null);
        }

        /** Uniform writes at {@code writesPerSecond} (0: idle), the default content mix and memory directory. */
        public Settings(long totalMemoryMb, List<String> cpuFeatures, double utilisation, long writesPerSecond, String bindHost,
                int dataPort, String advertisedHost) {
            this(totalMemoryMb, cpuFeatures, utilisation, GuestWorkload.uniform(writesPerSecond), ContentMix.DEFAULT, null,
                    bindHost, dataPort, advertisedHost);
        }
    }

    /** Boots a guest on this host (the inventory the agent starts with), running this host's workload. */
    public SimulatedVm boot(VmSpec spec) {
        return boot(spec, workload);
    }

    /** Boots a guest on this host that runs {@code guestWorkload} (null: this host's workload). */
    public SimulatedVm boot(VmSpec spec, GuestWorkload guestWorkload) {
        if (spec.memoryMb() > freeMemoryMb()) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "cannot boot " + spec.vmId() + " with " + spec.memoryMb()
                    + " MB: only " + freeMemoryMb() + " MB free");
        }
        if (vms.containsKey(spec.vmId())) { // checked first: booting a kept guest again would replace its memory
            throw new IllegalArgumentException("VM " + spec.vmId() + " already exists on this host");
        }
        SimulatedVm vm = SimulatedVm.boot(spec, utilisation, contentMix, guestWorkload == null ? workload : guestWorkload, memoryDir,
                spec.vmId().hashCode(), store);
        if (vms.putIfAbsent(spec.vmId(), vm) != null) {
            vm.close();
            throw new IllegalArgumentException("VM " + spec.vmId() + " already exists on this host");
        }
        return vm;
    }

    public SimulatedVm vm(String vmId) {
        SimulatedVm vm = vms.get(vmId);
        if (vm == null) {
            throw new HypervisorException(FailureReason.AGENT_ERROR, "VM " + vmId + " is not on this host");
        }
        return vm;
    }

    /**
     * CRC32C of every page at switchover: on a source read from its paused memory when it is discarded, on a
     * destination as stored when it resumed.
     */
    public java.util.Optional<int[]> switchoverFingerprint(String migrationId) {
        return java.util.Optional.ofNullable(fingerprints.get(migrationId)).map(int[]::clone);
    }

    /**
     * Counts the distinct pages the guest writes in a window of its own (apart from any pre-copy's dirty log) at
     * 1/512, 1/128, 1/32, 1/8, 1/4, 1/2 and the whole window, and fits the dirty curve to them; zero pages are counted on
     * every 16th used page.
     */
    @Override
    public java.util.Optional<io.ferry.hypervisor.estimate.GuestSample> sample(String vmId, java.time.Duration window) {
        SimulatedVm vm = vms.get(vmId);
        if (vm == null || vm.state() != VmState.RUNNING || outgoing.values().stream().anyMatch(o -> o.vm == vm)) {
            return java.util.Optional.empty(); // not while it migrates: the window would slow the pre-copy it watches
        }
        GuestMemory memory = vm.memory();
        List<io.ferry.hypervisor.estimate.DirtyCurve.Point> points = new java.util.ArrayList<>();
        long windowNanos = Math.max(8_000_000L, window.toNanos());
        try {
            long start = System.nanoTime();
            memory.startSampling();
            try {
                // The short windows see the rate of a guest that dirties its whole memory within an eighth of the
                // window (a write-heavy one does so in about 50 ms here); the long ones its working set.
                for (long part : new long[] {512, 128, 32, 8, 4, 2, 1}) {
                    long due = start + windowNanos / part;
                    for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - now);
                    }
                    long count = memory.sampledCount();
                    points.add(new io.ferry.hypervisor.estimate.DirtyCurve.Point((System.nanoTime() - start) / 1e9, count));
                }
            } finally {
                memory.stopSampling();
            }
            long used = memory.usedCount();
            long seen = 0;
            long zero = 0;
            for (int page = 0; page < memory.pages(); page += 16) {
                if (memory.isUsed(page)) {
                    seen++;
                    zero += memory.isZero(page) ? 1 : 0;
                }
            }
            var curve = io.ferry.hypervisor.estimate.DirtyCurve.fit(points, memory.pages());
            return java.util.Optional.of(new io.ferry.hypervisor.estimate.GuestSample(clock.instant(), windowNanos / 1_000_000,
                    curve.pagesPerSec(), curve.workingSetPages(), memory.pages(), used, seen == 0 ? 0 : used * zero / seen));
        } catch (IllegalStateException e) { // the guest left (its memory closed) while it was watched
            return java.util.Optional.empty();
        }
    }

    @Override
    public String driverName() {
        return "simulated";
    }

    @Override
    public List<VmInfo> vms() {
        return vms.values().stream().map(vm -> new VmInfo(vm.spec(), vm.state())).toList();
    }

    @Override
    public long totalMemoryMb() {
        return totalMemoryMb;
    }

    @Override
    public long freeMemoryMb() {
        return totalMemoryMb - vms.values().stream().mapToLong(vm -> vm.spec().memoryMb()).sum();
    }

    @Override
    public List<String> cpuFeatures() {
        return cpuFeatures;
    }

    @Override
    public String prepareSkeleton(MigrationTicket ticket, VmSpec spec) {
        IncomingMigration existing = incoming.get(ticket.migrationId());
        if (existing != null) {
            return dataChannel.address(); // a redelivered command: the skeleton is already there
        }
        if (vms.containsKey(spec.vmId())) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "VM " + spec.vmId() + " already exists on this host");
        }
        if (spec.memoryMb() > freeMemoryMb()) {
            throw new HypervisorException(FailureReason.SKELETON_FAILED, "need " + spec.memoryMb() + " MB for " + spec.vmId()
                    + " but only " + freeMemoryMb() + " MB are free");
        }
        SimulatedVm skeleton = SimulatedVm.skeleton(spec, workload, memoryDir, store, ticket.migrationId());
        vms.put(spec.vmId(), skeleton);
        IncomingMigration session = new IncomingMigration(ticket.migrationId(), skeleton, ticket.token(),
                ticket.sourceDataHost());
        incoming.put(ticket.migrationId(), session);
        dataChannel.expect(session);
        return dataChannel.address();
    }

    @Override
    public void connectSource(MigrationTicket ticket, String dataAddress) {
        SimulatedVm vm = vm(ticket.vmId());
        OutgoingMigration previous = outgoing.get(ticket.migrationId());
        if (previous != null && previous.isOpen()) {
            return; // a redelivered command: the one-time token already admitted this channel, a new one would be refused
        }
        if (previous != null) {
            outgoing.remove(ticket.migrationId(), previous);
            previous.close();
        }
        outgoing.put(ticket.migrationId(), OutgoingMigration.open(ticket.migrationId(), ticket.token(), vm, dataAddress));
    }

    @Override
    public PrecopyResult precopy(MigrationTicket ticket, CopyPolicy policy, Consumer<RoundStats> onRound) {
        OutgoingMigration session = session(ticket);
        session.compression(policy.compression()); // kept for the final copy too, as is the link's bandwidth
        session.bandwidthMbps = policy.bandwidthMbps();
        try {
            PrecopyResult result = new Precopy(session, policy, onRound).run();
            session.startTrickle();
            return result;
        } catch (IOException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "pre-copy of " + ticket.vmId() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public FinalCopyResult finalCopy(MigrationTicket ticket) {
        OutgoingMigration session = session(ticket);
        SimulatedVm vm = session.vm;
        try {
            session.stopTrickle();
        } catch (IOException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "pre-copy of " + ticket.vmId() + " failed while waiting "
                    + "for the final copy: " + e.getMessage(), e);
        }
        vm.pause();
        long paused = System.nanoTime();
        Instant pausedAt = clock.instant();
        long pagesBefore = session.pagesAtConvergence;
        long bytesBefore = session.bytesAtConvergence;
        try {
            long pagesAtPause = session.pagesSent;
            // The emulated link is no faster in the blackout; a fresh pacer so idle time since pre-copy is no credit.
            session.sendPages(vm.memory().harvestDirty(), new Pacer(session.bandwidthMbps));
            session.flush();
            long lastPage = System.nanoTime();
            session.sendDeviceState(vm.deviceState());
            long deviceState = System.nanoTime();
            String checksum = GuestMemory.digest(session.sentCrc, vm.deviceState());
            session.complete(checksum, pausedAt);
            long verified = System.nanoTime();
            session.checksumPausedMemory();
            log.info("final copy of {}: {} pages sent in {} µs, device state in {} µs, destination verified in {} µs more",
                    ticket.vmId(), session.pagesSent - pagesAtPause, (lastPage - paused) / 1_000, (deviceState - lastPage) / 1_000,
                    (verified - deviceState) / 1_000);
            return new FinalCopyResult(pausedAt, session.pagesSent - pagesBefore, session.bytesSent - bytesBefore, checksum,
                    new TailTimes((lastPage - paused) / 1_000, (deviceState - lastPage) / 1_000, (verified - deviceState) / 1_000,
                            0));
        } catch (IOException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "final copy of " + ticket.vmId() + " failed: " + e.getMessage(), e);
        }
    }

    /** The destination checked the stream against the source's checksum when COMPLETE came: that is the arrival. */
    @Override
    public String awaitArrival(MigrationTicket ticket, java.time.Duration timeout) {
        IncomingMigration session = incoming.get(ticket.migrationId());
        if (session == null) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "no incoming migration " + ticket.migrationId() + " on this host");
        }
        try {
            return session.verified.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new HypervisorException(e.getCause() != null && String.valueOf(e.getCause().getMessage()).startsWith("memory mismatch")
                    ? FailureReason.MEMORY_MISMATCH : FailureReason.DATA_CHANNEL_FAILED, "memory of " + ticket.vmId() + " did not arrive verified: "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "memory of " + ticket.vmId() + " had not arrived after "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.RESUME_FAILED, "interrupted while waiting for " + ticket.vmId() + " to arrive", e);
        }
    }

    @Override
    public ResumeResult resume(MigrationTicket ticket) {
        IncomingMigration session = incoming.get(ticket.migrationId());
        if (session == null) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "no incoming migration " + ticket.migrationId() + " on this host");
        }
        String checksum = awaitArrival(ticket, java.time.Duration.ofSeconds(30)); // at once when the arrival was awaited
        // The data channel is finished and the skeleton does not run, so the memory verified at COMPLETE is what
        // resumes; recomputing it here would only lengthen the blackout.
        fingerprints.put(ticket.migrationId(), session.verifiedPages);
        Instant resumedAt = session.skeleton.resume(clock);
        incoming.remove(ticket.migrationId());
        resumedHere.add(ticket.migrationId());
        dataChannel.forget(ticket.migrationId());
        return new ResumeResult(session.pausedAt, resumedAt, checksum);
    }

    /** The digest over a 1 GiB guest's page checksums, as source and destination compute it at the switchover. */
    @Override
    public void warmUp() {
        int[] pages = new int[262_144];
        byte[] deviceState = new byte[256];
        for (int i = 0; i < 40; i++) {
            pages[i] = i;
            GuestMemory.digest(pages, deviceState);
        }
    }

    /** Nothing to do: a simulated guest writes its disk only through the fenced lease. */
    @Override
    public void releaseDisk(MigrationTicket ticket) {
    }

    /** Nothing to do: the simulated switch's table, which the network handler updates, is the whole network. */
    @Override
    public void announce(MigrationTicket ticket) {
    }

    @Override
    public void discardSource(MigrationTicket ticket) {
        OutgoingMigration session = outgoing.remove(ticket.migrationId());
        int differing = 0;
        if (session != null) {
            session.close();
            // Self-check, after the blackout: the paused memory read page by page must equal what was sent. A
            // difference means the dirty log lost a write, which the checksum of the final copy cannot see.
            int[] actual = session.pausedMemoryChecksums();
            fingerprints.put(ticket.migrationId(), actual);
            for (int page = 0; page < actual.length; page++) {
                differing += actual[page] == session.sentCrc[page] ? 0 : 1;
            }
        }
        SimulatedVm vm = vms.get(ticket.vmId());
        if (vm != null && vm.state() != VmState.RUNNING) {
            vms.remove(ticket.vmId());
            vm.destroy(); // it lives on the destination now: nothing of it stays here
        }
        if (differing > 0) {
            throw new HypervisorException(FailureReason.MEMORY_MISMATCH, differing + " pages of " + ticket.vmId()
                    + " differ from what was sent: the dirty log lost writes; the copy on the destination is suspect");
        }
    }

    @Override
    public void abort(MigrationTicket ticket) {
        if (resumedHere.contains(ticket.migrationId())) {
            throw new HypervisorException(FailureReason.ROLLBACK_REFUSED, ticket.vmId() + " already resumed on this host for migration "
                    + ticket.migrationId() + "; past resume a migration only moves forward, so it keeps running here");
        }
        OutgoingMigration out = outgoing.remove(ticket.migrationId());
        if (out != null) {
            out.cancel();
            out.vm.throttle(0);
        }
        IncomingMigration in = incoming.remove(ticket.migrationId());
        if (in != null) {
            dataChannel.forget(ticket.migrationId());
            vms.remove(ticket.vmId(), in.skeleton);
            in.skeleton.destroy();
        }
    }

    @Override
    public void resumeAfterAbort(MigrationTicket ticket) {
        SimulatedVm vm = vms.get(ticket.vmId());
        if (vm != null && vm.state() == VmState.PAUSED) {
            vm.resume(); // a source that paused for the final copy runs again, now that it holds the disk
        }
    }

    /** Pages a converged migration has sent since it converged (for tests of what the final copy does with them). */
    long sentSinceConvergence(MigrationTicket ticket) {
        OutgoingMigration session = session(ticket);
        return session.pagesSent - session.pagesAtConvergence;
    }

    private OutgoingMigration session(MigrationTicket ticket) {
        OutgoingMigration session = outgoing.get(ticket.migrationId());
        if (session == null) {
            // One migration's commands run in order on one lane and a failed CONNECT_SOURCE stops it, so a step finding
            // no channel means this agent restarted after connecting: the channel died with the previous process.
            throw new HypervisorException(FailureReason.AGENT_RESTARTED, "no data channel is open for migration " + ticket.migrationId()
                    + " on this host: its agent restarted since CONNECT_SOURCE, and a pre-copy cannot be resumed");
        }
        return session;
    }

    /** Bytes of memory that guests which left had touched, kept for the next arrivals (see {@link WarmMemory}). */
    long keptMemoryBytes() {
        return store == null ? 0 : store.warmBytes();
    }

    /** The agent goes away: kept guests stay in the run directory for the next agent (see {@link GuestStore}). */
    @Override
    public void close() throws IOException {
        outgoing.values().forEach(OutgoingMigration::close);
        dataChannel.close();
        vms.values().forEach(SimulatedVm::close);
        if (store != null) {
            store.releaseWarm();
        }
    }
}
