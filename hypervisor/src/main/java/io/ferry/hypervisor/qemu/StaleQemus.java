package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMUs an earlier agent of this host left running that no agent re-attached to (a skeleton whose migration died
 * with that agent, a guest whose QMP socket no longer answers, or any QEMU when guests are not kept): their pid files
 * are in the run directory. Only a process whose command line names that directory is stopped, so a reused pid is
 * never hit.
 */
final class StaleQemus {
    private static final Logger log = LoggerFactory.getLogger(StaleQemus.class);

    private StaleQemus() {}

    static void reap(Path runDir) {
        reap(runDir, java.util.Set.of());
    }

    /** @param kept the pid files of QEMUs this agent re-attached to: left alone */
    static void reap(Path runDir, java.util.Set<Path> kept) {
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(runDir, "*.pid")) {
            for (Path pidFile : pidFiles) {
                if (!kept.contains(pidFile)) {
                    reapOne(runDir, pidFile);
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for stale QEMUs in {}: {}", runDir, e.getMessage());
        }
    }

    private static void reapOne(Path runDir, Path pidFile) throws IOException {
        String text = Files.readString(pidFile).strip();
        Files.deleteIfExists(pidFile);
        if (!text.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(text)).filter(process -> ours(runDir, process)).ifPresent(process -> {
            log.warn("stopping QEMU pid {} left behind by an earlier agent ({})", process.pid(), pidFile.getFileName());
            process.destroy();
        });
    }

    /** Whether {@code process} is a QEMU of this run directory (not another program that got its pid since). */
    static boolean ours(Path runDir, ProcessHandle process) {
        String commandLine = process.info().commandLine().orElse("");
        return process.isAlive() && commandLine.contains(runDir.toString()) && commandLine.contains("qemu");
    }
}
