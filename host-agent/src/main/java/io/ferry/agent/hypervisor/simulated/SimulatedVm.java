package io.ferry.agent.hypervisor.simulated;

import io.ferry.agent.hypervisor.Hypervisor.VmSpec;
import io.ferry.agent.hypervisor.Hypervisor.VmState;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated guest: its memory, its vCPU register/device state and a workload that writes memory while it runs.
 * Pausing takes the same lock each guest write holds, so once {@link #pause()} returns no write is in flight.
 */
public final class SimulatedVm implements AutoCloseable {
    private static final int DEVICE_STATE_BYTES = 4096;

    private final VmSpec spec;
    private final GuestMemory memory;
    private final Object cpu = new Object();
    private final long writesPerSecond;
    private byte[] deviceState;
    private volatile VmState state;
    private Thread workload;
    private long ticks;

    private SimulatedVm(VmSpec spec, GuestMemory memory, byte[] deviceState, VmState state, long writesPerSecond) {
        this.spec = spec;
        this.memory = memory;
        this.deviceState = deviceState;
        this.state = state;
        this.writesPerSecond = writesPerSecond;
    }

    /** A running guest that has already used {@code utilisation} of its memory (random, text-like and zero pages). */
    public static SimulatedVm boot(VmSpec spec, double utilisation, long writesPerSecond, long seed) {
        GuestMemory memory = new GuestMemory(spec.memoryMb());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        int usedPages = (int) Math.round(memory.pages() * Math.max(0, Math.min(1, utilisation)));
        for (int p = 0; p < usedPages; p++) {
            fill(page, p, random);
            memory.write(p, page);
        }
        byte[] registers = new byte[DEVICE_STATE_BYTES];
        random.nextBytes(registers);
        SimulatedVm vm = new SimulatedVm(spec, memory, registers, VmState.RUNNING, writesPerSecond);
        vm.startWorkload();
        return vm;
    }

    /** The destination's empty VM: memory allocated, nothing running. */
    public static SimulatedVm skeleton(VmSpec spec, long writesPerSecond) {
        return new SimulatedVm(spec, new GuestMemory(spec.memoryMb()), new byte[0], VmState.SKELETON, writesPerSecond);
    }

    // A realistic mix: mostly random data, some compressible text-like pages, some zero pages.
    private static void fill(byte[] page, int index, SplittableRandom random) {
        switch (index % 10) {
            case 0 -> java.util.Arrays.fill(page, (byte) 0);
            case 1, 2 -> {
                for (int i = 0; i < page.length; i++) {
                    page[i] = (byte) ('a' + (i * 7 + index) % 26);
                }
            }
            default -> random.nextBytes(page);
        }
    }

    public VmSpec spec() {
        return spec;
    }

    public VmState state() {
        return state;
    }

    public GuestMemory memory() {
        return memory;
    }

    public synchronized byte[] deviceState() {
        return deviceState.clone();
    }

    public synchronized void loadDeviceState(byte[] state) {
        this.deviceState = state.clone();
    }

    public void pause() {
        synchronized (cpu) {
            state = VmState.PAUSED;
        }
    }

    /** Runs the guest (again): a resumed source after a rollback, or the destination at stage 5. */
    public void resume() {
        synchronized (cpu) {
            state = VmState.RUNNING;
        }
        startWorkload();
    }

    private synchronized void startWorkload() {
        if (writesPerSecond <= 0 || (workload != null && workload.isAlive())) {
            return;
        }
        workload = Thread.ofPlatform().daemon().name("guest-" + spec.vmId()).start(this::run);
    }

    // Uniform writes at the configured rate, in small bursts so the rate holds at low and high settings alike.
    private void run() {
        SplittableRandom random = new SplittableRandom(spec.vmId().hashCode());
        long intervalNanos = 1_000_000L; // 1 ms ticks
        long writesPerTick = Math.max(1, writesPerSecond / 1000);
        while (true) {
            synchronized (cpu) {
                if (state != VmState.RUNNING) {
                    return;
                }
                for (long i = 0; i < writesPerTick; i++) {
                    memory.writeLong(random.nextInt(memory.pages()), random.nextInt(512), ++ticks);
                }
            }
            LockSupport.parkNanos(intervalNanos);
        }
    }

    @Override
    public void close() {
        pause();
        memory.close();
    }
}
