package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest a QEMU host boots: a Debian cloud kernel and a busybox initramfs whose init dirties memory and prints
 * {@code TICK n} on the serial console. Built from Debian packages by {@code build-guest.sh} (hypervisor/src/qemu, also
 * packed in this module's jar under {@code qemu/}) into a cache directory named after the script's and init's content, so
 * a changed script builds a fresh image and an unchanged one is built once per machine.
 */
public record GuestImage(Path kernel, Path initrd) {
    private static final List<String> SOURCES = List.of("build-guest.sh", "guest-init");
    private static final long BUILD_TIMEOUT_MINUTES = 10;

    /** The image in {@code dir}, built there first when it is missing. */
    public static GuestImage ensure(Path dir) {
        GuestImage image = new GuestImage(dir.resolve("vmlinuz"), dir.resolve("initrd.gz"));
        if (Files.isRegularFile(image.kernel()) && Files.isRegularFile(image.initrd())) {
            return image;
        }
        build(dir);
        return image;
    }

    /** ~/.cache/ferry/qemu-guest-HASH: where the image of this version of the scripts is cached. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "ferry", "qemu-guest-" + sourcesHash());
    }

    static String sourcesHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String source : SOURCES) {
                sha.update(resource(source));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void build(Path dir) {
        try {
            Files.createDirectories(dir);
            Path scripts = Files.createTempDirectory("ferry-guest-build");
            try {
                for (String source : SOURCES) {
                    Files.write(scripts.resolve(source), resource(source));
                }
                Path log = scripts.resolve("build.log");
                Process build = new ProcessBuilder("bash", scripts.resolve("build-guest.sh").toString(), dir.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    build.destroyForcibly();
                    throw new IllegalStateException("building the QEMU guest image in " + dir + " took over "
                            + BUILD_TIMEOUT_MINUTES + " minutes: " + Files.readString(log));
                }
                if (build.exitValue() != 0) {
                    throw new IllegalStateException("building the QEMU guest image in " + dir + " failed (exit "
                            + build.exitValue() + "). It needs root, apt-get and a reachable Debian mirror. Output:\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
            } finally {
                for (String file : List.of("build-guest.sh", "guest-init", "build.log")) {
                    Files.deleteIfExists(scripts.resolve(file));
                }
                Files.deleteIfExists(scripts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the QEMU guest image in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the QEMU guest image in " + dir, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = GuestImage.class.getResourceAsStream("/qemu/" + name)) {
            if (in == null) {
                throw new IllegalStateException("qemu/" + name + " is not on the classpath (it comes from hypervisor/src/qemu)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
