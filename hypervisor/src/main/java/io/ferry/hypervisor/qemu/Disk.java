package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A guest's qcow2 disk on the storage every host sees. */
final class Disk {
    private Disk() {}

    /** Creates an empty qcow2 image of {@code sizeMb} at {@code path} unless one is there. */
    static void ensure(Path path, int sizeMb) {
        if (Files.exists(path)) {
            return;
        }
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Process create = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", path.toString(), sizeMb + "M")
                    .redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("qemu-img could not create the disk " + path + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the disk " + path + " (is qemu-img installed? apt-get install "
                    + "qemu-utils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the disk " + path, e);
        }
    }
}
