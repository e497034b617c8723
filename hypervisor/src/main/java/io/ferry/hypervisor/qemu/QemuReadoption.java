package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.qemu.QemuGuestFiles.Description;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restarted agent takes back the QEMUs its predecessor left running: each described guest whose QEMU still runs and
 * answers {@code query-status} on its QMP socket is re-attached with its real run state. One an outgoing migration had
 * paused (that migration died with the old agent, and the orchestrator rolls it back) is cancelled and runs again here.
 * A description whose QEMU is gone or silent is dropped and that QEMU stopped.
 */
final class QemuReadoption {
    private static final Logger log = LoggerFactory.getLogger(QemuReadoption.class);
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(5);

    private QemuReadoption() {}

    /** @return the pid files of the QEMUs re-adopted (the rest are stale) */
    static Set<Path> readopt(Path runDir, QemuGuestFiles files, Consumer<QemuVm> adopted) {
        Set<Path> kept = new HashSet<>();
        for (Description description : files.all()) {
            Optional<QemuVm> vm = attach(runDir, description);
            if (vm.isEmpty()) {
                files.delete(description.name());
                continue;
            }
            kept.add(QemuCommandLine.Files.in(runDir, description.name()).pidFile());
            adopted.accept(vm.get());
        }
        return kept;
    }

    private static Optional<QemuVm> attach(Path runDir, Description description) {
        String vmId = description.spec().vmId();
        Optional<ProcessHandle> process = ProcessHandle.of(description.pid()).filter(p -> StaleQemus.ours(runDir, p));
        if (process.isEmpty()) {
            log.warn("{} is gone: its QEMU pid {} no longer runs; forgetting it", vmId, description.pid());
            return Optional.empty();
        }
        QemuProcess qemu;
        String runState;
        try {
            qemu = QemuProcess.attach(description.name(), process.get(), description.qmpSocket(), description.serial(),
                    ATTACH_TIMEOUT);
        } catch (QmpException e) {
            log.warn("{}: its QEMU pid {} does not answer on {} ({}); stopping it", vmId, description.pid(),
                    description.qmpSocket(), e.getMessage());
            process.get().destroyForcibly();
            return Optional.empty();
        }
        try {
            runState = qemu.qmp().execute("query-status").path("status").asString("unknown");
        } catch (QmpException e) {
            log.warn("{}: its QEMU pid {} would not say its status ({}); stopping it", vmId, description.pid(),
                    e.getMessage());
            qemu.detach();
            process.get().destroyForcibly();
            return Optional.empty();
        }
        if (runState.equals("inmigrate") || runState.equals("prelaunch")) {
            log.info("{}: QEMU pid {} still waits for an incoming migration that died with the old agent; stopping it",
                    vmId, description.pid());
            qemu.quit(Duration.ofSeconds(5));
            return Optional.empty();
        }
        QemuVm vm = new QemuVm(description.spec(), description.name(), qemu, description.serial(),
                runState.equals("running") ? VmState.RUNNING : VmState.PAUSED);
        vm.arrived(description.arrivedBy());
        resumeIfMigrating(vm, runState);
        return Optional.of(vm);
    }

    /** A guest paused by an unfinished outgoing migration (pre-switchover, finish-migrate, ...) runs again here. */
    private static void resumeIfMigrating(QemuVm vm, String runState) {
        QueryMigrate migration;
        try {
            migration = vm.queryMigrate();
        } catch (QmpException e) {
            log.warn("{}: cannot ask QEMU about a migration ({}); leaving it {}", vm.spec.vmId(), e.getMessage(), runState);
            return;
        }
        if (!migration.finished() && !migration.status().equals("none")) {
            log.info("{} was {} in a migration ({}) that died with the old agent: cancelling it so the guest runs here",
                    vm.spec.vmId(), runState, migration.status());
            QemuOutgoing.cancelAndRun(vm);
        }
    }
}
