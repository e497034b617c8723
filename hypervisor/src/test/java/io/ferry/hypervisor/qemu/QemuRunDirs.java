package io.ferry.hypervisor.qemu;

import io.ferry.devstack.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * QEMU hosts on run directories of their own, for tests that restart an agent: every host started through it is
 * stopped after the test, and so is any QEMU its run directory still holds (one an abandoned agent left running).
 * Skips the test, saying why, where QEMU is not installed.
 */
final class QemuRunDirs implements BeforeEachCallback, AfterEachCallback {
    private final List<QemuHypervisor> started = new ArrayList<>();
    private final List<Path> runDirs = new ArrayList<>();
    private Path root;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        QemuGuests.assumeQemu();
        root = Files.createTempDirectory("ferry-qemu-"); // short: QMP socket paths must stay under 108 bytes
    }

    /** A host named {@code name} whose guests die with it. */
    QemuHypervisor host(String name, int dirtyMb) {
        return started(name, QemuGuests.host(runDir(name), dirtyMb));
    }

    /** A host named {@code name} that keeps its guests: the next one started with this name re-adopts them. */
    QemuHypervisor keepingHost(String name, int dirtyMb) {
        return started(name, QemuGuests.keepingHost(runDir(name), dirtyMb));
    }

    private Path runDir(String name) {
        return root.resolve(name);
    }

    private QemuHypervisor started(String name, QemuHypervisor host) {
        started.add(host);
        if (!runDirs.contains(runDir(name))) {
            runDirs.add(runDir(name));
        }
        return host;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (QemuHypervisor host : started.reversed()) {
            host.stopGuests();
            host.close();
        }
        started.clear();
        runDirs.forEach(QemuHypervisor::stopLeftovers);
        runDirs.clear();
        if (root != null) {
            Directories.deleteRecursively(root);
        }
    }
}
