package io.ferry.hypervisor.qemu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skeleton QEMUs started before a guest is on its way: at most one per guest shape (RAM and vCPUs), each on memory a
 * departed guest of that shape left here ({@link GuestRam}), waiting with {@code -incoming defer -S} and no devices of
 * a guest yet. Stage 1 then takes one and plugs the arriving guest's devices in (a few ms) instead of starting a QEMU,
 * which here under TCG took 140-230 ms while the source's guest kept a core busy. A spare holds only memory that is
 * kept anyway (the same file, mapped by QEMU instead of nobody), so it costs an idle process; one is started only for
 * a shape that left memory behind, and another once that one is taken and more memory of its shape is kept.
 */
final class SpareSkeletons implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpareSkeletons.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIT_GRACE = Duration.ofSeconds(5);

    /** What a skeleton must match of the source's machine, beyond what every guest of this host shares. */
    record Shape(long ramKib, int vcpus) {}

    /** A spare's QEMU, its files and the kept RAM file it maps; adopted once a guest's devices are plugged in. */
    record Spare(String name, QemuProcess process, QemuCommandLine.Files files, java.nio.file.Path ramFile,
            java.util.concurrent.atomic.AtomicBoolean adopted) {}

    private final QemuHypervisor.Settings settings;
    private final GuestRam ram;
    private final Map<Shape, CompletableFuture<Optional<Spare>>> spares = new ConcurrentHashMap<>();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("spare-skeletons").factory());
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    SpareSkeletons(QemuHypervisor.Settings settings, GuestRam ram) {
        this.settings = settings;
        this.ram = ram;
    }

    /** Memory of {@code shape} was kept here: a spare of that shape is started on it, unless one is already there. */
    void kept(Shape shape) {
        if (closed) {
            return;
        }
        spares.compute(shape, (s, existing) -> {
            if (existing != null && !(existing.isDone() && gone(existing))) {
                return existing; // one waits, or is starting
            }
            try {
                return CompletableFuture.supplyAsync(() -> start(s), starter);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        });
    }

    /** A start that ended without a spare (no kept memory was left for it, or QEMU failed), or one that exited since. */
    private static boolean gone(CompletableFuture<Optional<Spare>> done) {
        return result(done).map(spare -> !spare.process().isAlive()).orElse(true);
    }

    /**
     * The spare of {@code shape} with the arriving guest's {@code devices} plugged in; one still starting is waited
     * for (it is ready sooner than a new QEMU would be). Empty when there is none, it died, or a device would not plug
     * (that spare quits): the caller then starts a skeleton of its own.
     */
    Optional<Spare> take(Shape shape, QemuCommandLine.Devices devices) {
        CompletableFuture<Optional<Spare>> starting = spares.remove(shape);
        Optional<Spare> taken = starting == null ? Optional.empty() : result(starting);
        if (taken.isEmpty()) {
            return taken;
        }
        Spare spare = taken.get();
        if (!spare.process().isAlive()) {
            log.warn("the spare skeleton {} had exited; starting a skeleton instead", spare.name());
            return Optional.empty();
        }
        try {
            for (String command : devices.plugCommands()) {
                String said = spare.process().qmp().execute("human-monitor-command", Map.of("command-line", command))
                        .asString("").strip();
                if (!said.isEmpty() && !said.equals("OK")) {
                    throw new QmpException(command, "GenericError", said);
                }
            }
            spare.adopted().set(true);
            return taken;
        } catch (QmpException e) {
            log.warn("the spare skeleton {} could not take the guest's devices ({}); starting a skeleton instead",
                    spare.name(), e.getMessage());
            spare.process().quit(QUIT_GRACE);
            return Optional.empty();
        }
    }

    /** The QEMU pids of the spares started and waiting now. */
    List<Long> waiting() {
        return spares.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally())
                .flatMap(f -> f.join().stream()).filter(s -> s.process().isAlive()).map(s -> s.process().pid()).toList();
    }

    /** Quits every spare; their memory becomes kept memory again. */
    private void quitAll() {
        List<CompletableFuture<Optional<Spare>>> all = new ArrayList<>(spares.values());
        spares.clear();
        for (CompletableFuture<Optional<Spare>> spare : all) {
            result(spare).ifPresent(s -> {
                s.process().quit(QUIT_GRACE);
                log.info("spare skeleton {} quit (QEMU pid {})", s.name(), s.process().pid());
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        starter.shutdown();
        quitAll();
    }

    /**
     * When {@code process} exits, the RAM file it mapped is released to {@link GuestRam}; once it is kept again, a spare
     * of {@code shape} is started on it if {@code refill} still says so then.
     */
    void releaseOnExit(QemuProcess process, java.nio.file.Path file, Shape shape, java.util.function.BooleanSupplier refill) {
        process.onExit().thenRun(() -> ram.release(file).thenAccept(keptAgain -> {
            if (keptAgain && refill.getAsBoolean()) {
                kept(shape);
            }
        }));
    }

    /** What a start came to; a start never throws (it logs and says empty), so a failed future is only defensive. */
    private static Optional<Spare> result(CompletableFuture<Optional<Spare>> start) {
        return start.exceptionally(e -> Optional.empty()).join();
    }

    private Optional<Spare> start(Shape shape) {
        String name = "spare-" + shape.ramKib() + "k-" + shape.vcpus() + "cpu-" + sequence.incrementAndGet();
        Optional<GuestRam.Claim> memory = closed ? Optional.empty() : ram.claimKept(name, shape.ramKib() * 1024);
        if (memory.isEmpty()) {
            return Optional.empty(); // taken by a skeleton meanwhile, or dropped: nothing to start a spare on
        }
        java.nio.file.Path file = memory.get().file();
        QemuCommandLine.Files files = QemuCommandLine.Files.in(settings.runDir(), name);
        try {
            long started = System.nanoTime();
            QemuProcess process = QemuProcess.start(name,
                    QemuCommandLine.spare(settings, name, shape.ramKib(), shape.vcpus(), files, file.toString()), files,
                    START_TIMEOUT);
            var adopted = new java.util.concurrent.atomic.AtomicBoolean();
            // a guest that arrived in it and left again leaves its memory kept: another spare then
            releaseOnExit(process, file, shape, adopted::get);
            log.info("spare skeleton {} started in {} ms on memory a departed guest touched (QEMU pid {})", name,
                    (System.nanoTime() - started) / 1_000_000, process.pid());
            return Optional.of(new Spare(name, process, files, file, adopted));
        } catch (RuntimeException e) {
            ram.release(file);
            log.warn("could not start a spare skeleton of {} KiB: {}", shape.ramKib(), e.getMessage());
            return Optional.empty();
        }
    }
}
