package io.ferry.agent.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QEMUs an earlier agent of this host left running when it was killed: their pid files are in the run directory.
 * Only a process whose command line names that directory is stopped, so a reused pid is never hit.
 */
final class StaleQemus {
    private static final Logger log = LoggerFactory.getLogger(StaleQemus.class);

    private StaleQemus() {}

    static void reap(Path runDir) {
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(runDir, "*.pid")) {
            for (Path pidFile : pidFiles) {
                reapOne(runDir, pidFile);
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
        ProcessHandle.of(Long.parseLong(text)).ifPresent(process -> {
            String commandLine = process.info().commandLine().orElse("");
            if (commandLine.contains(runDir.toString()) && commandLine.contains("qemu")) {
                log.warn("stopping QEMU pid {} left behind by an earlier agent ({})", process.pid(), pidFile.getFileName());
                process.destroy();
            }
        });
    }
}
