package io.ferry.hypervisor.qemu;

import io.ferry.devstack.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two QEMU agents, one after the other, on one run directory that keeps their guests: what an agent restart looks
 * like to the driver. Whatever a test leaves running is stopped and the run directory removed after it.
 */
abstract class SuccessiveAgents {
    @TempDir
    Path dir;
    Path runDir;
    QemuHypervisor first;
    QemuHypervisor second;

    @BeforeEach
    void qemu() throws Exception {
        QemuGuests.assumeQemu();
        runDir = Files.createTempDirectory("ferry-qemu-agents"); // short: QMP sockets live here (108-byte path limit)
    }

    @AfterEach
    void stopEverything() {
        for (QemuHypervisor host : new QemuHypervisor[] {second, first}) {
            if (host != null) {
                host.stopGuests();
                host.close();
            }
        }
        if (runDir != null) {
            QemuHypervisor.stopLeftovers(runDir);
            Directories.deleteRecursively(runDir);
        }
    }
}
