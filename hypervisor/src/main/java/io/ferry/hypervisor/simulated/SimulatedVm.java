package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated guest: its memory, its vCPU register/device state and a {@link GuestWorkload} that writes memory
 * while it runs, on a writer thread of its own. Every write burst holds the {@code cpu} lock and pausing takes it
 * too, so once {@link #pause()} returns no write is in flight; the writer stops on pause and close and a new one
 * starts on resume. {@link #throttle(int)} takes vCPU time away as QEMU's auto-converge does.
 */
public final class SimulatedVm implements AutoCloseable {
    private static final int DEVICE_STATE_BYTES = 4096;
    /** Writes per lock hold: small enough that a pause waits microseconds, large enough to amortise the pacing. */
    private static final int MAX_BURST = 256;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SimulatedVm.class);
    /** A writer that fell further behind than this (descheduled) drops the backlog instead of rushing it. */
    private static final long MAX_BACKLOG_NANOS = 100_000_000L;
    /** A throttled heavy guest runs this long, then sleeps its share: QEMU's auto-converge timeslice. */
    private static final long TIMESLICE_NANOS = io.ferry.hypervisor.Convergence.THROTTLE_SLICE_MS * 1_000_000L;

    private final VmSpec spec;
    private final GuestMemory memory;
    private final GuestWorkload workload;
    /** Where this guest is described so a restarted agent can re-adopt it; null: it dies with the agent. */
    private final GuestStore store;
    /** The migration that brought this guest here, kept with it so a restarted agent still knows (null: booted here). */
    private final String arrivedBy;
    private final Object cpu = new Object();
    /** Bumped by every pause and resume: a writer of an older run stops before its next burst. */
    private final AtomicLong run = new AtomicLong();
    private final GuestWorkload.PagePicker picker; // guarded by cpu
    private final SplittableRandom slots; // guarded by cpu
    private byte[] deviceState;
    private volatile VmState state;
    private volatile int throttlePercent;
    private volatile Thread writer;
    private long writes; // guarded by cpu

    private SimulatedVm(VmSpec spec, GuestMemory memory, byte[] deviceState, VmState state, GuestWorkload workload,
            GuestStore store, String arrivedBy) {
        this.spec = spec;
        this.arrivedBy = arrivedBy;
        this.store = store;
        this.memory = memory;
        this.deviceState = deviceState;
        this.state = state;
        this.workload = workload;
        SplittableRandom random = new SplittableRandom(spec.vmId().hashCode());
        this.picker = workload.writes() ? workload.pages(memory.pages(), random.split()) : null;
        this.slots = random.split();
    }

    /**
     * A running guest that has already used {@code utilisation} of its memory, its pages filled after
     * {@code contentMix}, and runs {@code workload}; its memory lives in {@code memoryDir} (null: the default).
     */
    public static SimulatedVm boot(VmSpec spec, double utilisation, ContentMix contentMix, GuestWorkload workload, Path memoryDir,
            long seed) {
        return boot(spec, utilisation, contentMix, workload, memoryDir, seed, null);
    }

    /** As {@link #boot(VmSpec, double, ContentMix, GuestWorkload, Path, long)}, kept in {@code store} when not null. */
    public static SimulatedVm boot(VmSpec spec, double utilisation, ContentMix contentMix, GuestWorkload workload, Path memoryDir,
            long seed, GuestStore store) {
        GuestMemory memory = memory(spec, memoryDir, store);
        try {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] page = new byte[GuestMemory.PAGE_SIZE];
            int usedPages = (int) Math.round(memory.pages() * Math.max(0, Math.min(1, utilisation)));
            for (int p = 0; p < usedPages; p++) {
                ContentMix.fill(page, contentMix.next(random), random);
                memory.write(p, page); // zero pages too: the guest used them
            }
            byte[] registers = new byte[DEVICE_STATE_BYTES];
            random.nextBytes(registers);
            SimulatedVm vm = new SimulatedVm(spec, memory, registers, VmState.SKELETON, workload, store, null);
            vm.resume();
            return vm;
        } catch (RuntimeException | Error e) {
            memory.close();
            if (store != null) {
                store.delete(spec.vmId());
            }
            throw e;
        }
    }

    /** The destination's empty VM: memory reserved but untouched, nothing running until it is resumed. */
    public static SimulatedVm skeleton(VmSpec spec, GuestWorkload workload, Path memoryDir) {
        return skeleton(spec, workload, memoryDir, null, null);
    }

    /**
     * As {@link #skeleton(VmSpec, GuestWorkload, Path)}, kept in {@code store} when not null, for the incoming
     * migration {@code migrationId}.
     */
    public static SimulatedVm skeleton(VmSpec spec, GuestWorkload workload, Path memoryDir, GuestStore store,
            String migrationId) {
        SimulatedVm vm = new SimulatedVm(spec, memory(spec, memoryDir, store), new byte[0], VmState.SKELETON, workload, store,
                migrationId);
        vm.persist();
        return vm;
    }

    /**
     * A guest a previous agent of this host left in {@code store}: its memory re-opened as it was, its device state
     * and workload restored; a running one runs again (its workload's writer restarts), a paused one stays paused.
     */
    public static SimulatedVm adopt(GuestStore.Saved saved, GuestStore store) {
        GuestMemory memory = GuestMemory.persistent(saved.spec().memoryMb(), store.kept(saved.spec().vmId()), true);
        SimulatedVm vm = new SimulatedVm(saved.spec(), memory, saved.deviceState(), VmState.PAUSED, saved.workload(), store,
                saved.arrivedBy());
        if (saved.state() == VmState.RUNNING) {
            vm.resume();
        }
        return vm;
    }

    /** Kept guests map memory a departed guest touched when some of their size is kept (see {@link WarmMemory}). */
    private static GuestMemory memory(VmSpec spec, Path memoryDir, GuestStore store) {
        if (store == null) {
            return new GuestMemory(spec.memoryMb(), memoryDir);
        }
        GuestMemory.Mapped warm = store.claimWarm(spec.vmId(), (long) spec.memoryMb() << 20);
        if (warm != null) {
            log.info("{} maps {} MB of memory a guest that left had touched (zeroed): no faults as pages arrive",
                    spec.vmId(), spec.memoryMb());
            return GuestMemory.persistentOn(warm, store.kept(spec.vmId()));
        }
        return GuestMemory.persistent(spec.memoryMb(), store.kept(spec.vmId()), false);
    }

    /** Records the guest's state for a restarted agent (nothing without a store). */
    private void persist() {
        if (store != null) {
            store.save(spec, state, workload, deviceState(), arrivedBy);
        }
    }

    public VmSpec spec() {
        return spec;
    }

    public VmState state() {
        return state;
    }

    /** The migration that brought this guest to this host; null when it was booted here. */
    public String arrivedBy() {
        return arrivedBy;
    }

    public GuestMemory memory() {
        return memory;
    }

    public GuestWorkload workload() {
        return workload;
    }

    /** Page writes the guest has done so far. */
    public long writes() {
        synchronized (cpu) {
            return writes;
        }
    }

    public synchronized byte[] deviceState() {
        return deviceState.clone();
    }

    public void loadDeviceState(byte[] state) {
        synchronized (this) {
            this.deviceState = state.clone();
        }
        persist();
    }

    /**
     * Auto-converge: takes {@code percent} (0..99) of the vCPU time away, so the guest writes at (100 - percent) %
     * of its rate; a heavy guest runs (100 - percent) % of each timeslice and sleeps the rest. 0 lifts it.
     */
    public void throttle(int percent) {
        if (percent < 0 || percent > 99) {
            throw new IllegalArgumentException("throttle must be between 0 and 99 percent, got " + percent);
        }
        throttlePercent = percent;
        Thread current = writer;
        if (current != null) {
            LockSupport.unpark(current); // a writer asleep on the old pace picks up the new one now
        }
    }

    public int throttlePercent() {
        return throttlePercent;
    }

    /** Stops the guest: when this returns no write is in flight and none follows until {@link #resume()}. */
    public void pause() {
        stop();
        persist();
    }

    /** Stops the writer without recording a pause: the agent goes away, the guest does not. */
    private void stop() {
        run.incrementAndGet(); // the writer stops before its next burst, so it cannot starve us of the lock...
        synchronized (cpu) { // ...and a burst in flight has finished once we hold it
            state = VmState.PAUSED;
        }
        Thread current = writer;
        if (current != null) {
            LockSupport.unpark(current); // let a sleeping writer see it stopped and exit now
        }
    }

    /** Runs the guest (again): a resumed source after a rollback, or the destination at stage 5. */
    public void resume() {
        resume(null);
    }

    /**
     * Runs the guest again; {@code clock}, when given, states when it ran (before its description is written, which
     * the running guest does not wait for).
     */
    public java.time.Instant resume(java.time.Clock clock) {
        java.time.Instant running;
        synchronized (cpu) {
            Thread current = writer;
            if (state == VmState.RUNNING && (!workload.writes() || current != null && current.isAlive())) {
                return clock == null ? null : clock.instant();
            }
            state = VmState.RUNNING;
            long generation = run.incrementAndGet();
            if (workload.writes()) {
                writer = Thread.ofPlatform().daemon().name("guest-" + spec.vmId()).start(() -> write(generation));
            }
            running = clock == null ? null : clock.instant();
        }
        persist();
        return running;
    }

    // Paces bursts by System.nanoTime: the writes owed since the pace was set are written in bursts of at most
    // MAX_BURST, then the writer sleeps until the next one is due. A heavy guest writes bursts back to back.
    private void write(long generation) {
        long rate = workload.writesPerSecond();
        int throttle = -1;
        double perNano = 0;
        long backlog = 0;
        long epoch = 0;
        long done = 0;
        long ran = 0;
        long sleepOwed = 0;
        while (run.get() == generation) {
            int percent = throttlePercent;
            long now = System.nanoTime();
            if (percent != throttle) { // a new pace starts now
                throttle = percent;
                perNano = rate * (100 - percent) / 100.0 / 1e9;
                backlog = Math.max(MAX_BURST, (long) (perNano * MAX_BACKLOG_NANOS));
                epoch = now;
                done = 0;
                ran = 0;
                sleepOwed = 0;
            }
            if (rate == 0) { // heavy: as fast as it can, less the throttled share of each timeslice
                if (!burst(generation, MAX_BURST)) {
                    return;
                }
                if (percent > 0) {
                    ran += System.nanoTime() - now;
                    if (ran >= TIMESLICE_NANOS) { // sleep the throttled share; an overslept bit is owed back next time
                        sleepOwed += ran * percent / (100 - percent);
                        ran = 0;
                        long before = System.nanoTime();
                        LockSupport.parkNanos(sleepOwed);
                        sleepOwed -= System.nanoTime() - before;
                    }
                }
                continue;
            }
            long due = (long) ((now - epoch) * perNano) - done;
            if (due <= 0) {
                long next = epoch + (long) Math.ceil((done + 1) / perNano);
                LockSupport.parkNanos(Math.max(1, next - now));
                continue;
            }
            if (due > backlog) {
                done += due - backlog;
                due = backlog;
            }
            int count = (int) Math.min(due, MAX_BURST);
            if (!burst(generation, count)) {
                return;
            }
            done += count;
        }
    }

    private boolean burst(long generation, int count) {
        synchronized (cpu) {
            if (state != VmState.RUNNING || run.get() != generation) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                memory.writeLong(picker.next(), slots.nextInt(512), ++writes);
            }
            return true;
        }
    }

    /**
     * The guest leaves this host: stopped, its description (if kept) deleted, and its memory released in the
     * background, or, when it ran here, zeroed and kept mapped for the next guest of its size ({@link WarmMemory}).
     * Giving back a guest's pages costs the kernel about 0.1-0.2 s per GiB, which the migration that moved it away need
     * not wait for; its files are renamed first, so the same guest may come back at once.
     */
    public void destroy() {
        boolean ran = state != VmState.SKELETON; // a skeleton's memory is never kept: see WarmMemory
        GuestMemory.Kept retired = store == null ? null : store.retire(spec.vmId());
        stopWriter();
        Thread.ofPlatform().daemon().name("release-" + spec.vmId()).start(() -> {
            GuestMemory.Mapped mapped = retired != null && ran && store.keepsWarm() ? memory.detach(retired.memory()) : null;
            if (mapped != null) {
                store.keepWarm(mapped, retired);
                return;
            }
            memory.close();
            if (retired != null) {
                GuestMemory.deleteFiles(retired);
            }
        });
    }

    /**
     * Releases this process's hold on the guest. A kept guest (one with a store) stays described as it was, so the
     * next agent of this host re-adopts it; see {@link #destroy()} for a guest that leaves.
     */
    @Override
    public void close() {
        stopWriter();
        memory.close();
    }

    /** Stops the guest and waits (briefly) for its writer, so nothing writes its memory any more. */
    private void stopWriter() {
        stop();
        Thread current = writer;
        if (current != null && current != Thread.currentThread()) {
            try {
                current.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
