package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per QEMU guest of this host a small description in the run directory ({@code NAME.guest}: spec, QMP socket, serial
 * console, pid, state), so that a restarted agent finds the QEMUs that outlived its predecessor and re-attaches to them.
 * Written atomically: a restart reads the old or the new description, never half of one. Skeletons get none: the
 * migration they wait for dies with the agent, so a restart stops them (see {@link StaleQemus}).
 */
final class QemuGuestFiles {
    private static final Logger log = LoggerFactory.getLogger(QemuGuestFiles.class);
    private static final String SUFFIX = ".guest";
    /** Written once the host's start-up inventory was booted: from then on the descriptions, not the setting, are the truth. */
    private static final String INITIALISED = "inventory-booted";

    private final Path dir;

    QemuGuestFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * A guest's QEMU as the last agent left it; {@code name} is its files' base name (the vmId, or VM-in-ID once arrived);
     * {@code arrivedBy}, the migration that brought it here (null: booted here). Arrived guests are described only once
     * they resumed here.
     */
    record Description(String name, VmSpec spec, long pid, Path qmpSocket, Path serial, VmState state, String arrivedBy) {}

    boolean initialised() {
        return Files.exists(dir.resolve(INITIALISED));
    }

    void markInitialised() {
        try {
            Files.writeString(dir.resolve(INITIALISED), "the start-up inventory was booted; delete this directory (after "
                    + "stopping its QEMUs) to boot it afresh\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(INITIALISED) + ": " + e.getMessage(), e);
        }
    }

    /** Forgets every guest and that the inventory was booted: the next agent here starts a fresh host. */
    void forgetAll() {
        all().forEach(description -> delete(description.name()));
        try {
            Files.deleteIfExists(dir.resolve(INITIALISED));
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dir.resolve(INITIALISED), e.getMessage());
        }
    }

    void save(String name, VmSpec spec, long pid, QemuCommandLine.Files files, VmState state, String arrivedBy) {
        Properties p = new Properties();
        p.setProperty("vmId", spec.vmId());
        p.setProperty("memoryMb", Integer.toString(spec.memoryMb()));
        p.setProperty("vcpus", Integer.toString(spec.vcpus()));
        p.setProperty("macAddress", spec.macAddress());
        p.setProperty("diskPath", spec.diskPath());
        p.setProperty("cpuFeatures", String.join(",", spec.cpuFeatures()));
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("qmpSocket", files.qmpSocket().toString());
        p.setProperty("serial", files.serial().toString());
        p.setProperty("state", state.name());
        if (arrivedBy != null) {
            p.setProperty("arrivedBy", arrivedBy);
        }
        Path target = file(name);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(out, "a QEMU guest of this host; a restarted agent re-attaches to it while its QMP socket answers");
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the description of " + spec.vmId() + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file(name), e.getMessage());
        }
    }

    /** Every description here; an unreadable one is dropped (its QEMU, if any, is then stopped as a stale one). */
    List<Description> all() {
        List<Description> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    all.add(read(file));
                } catch (IOException | RuntimeException e) {
                    log.warn("dropping unreadable QEMU guest description {}: {}", file, e.getMessage());
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list the QEMU guest descriptions in {}: {}", dir, e.getMessage());
        }
        return all;
    }

    private Description read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - SUFFIX.length());
        String features = p.getProperty("cpuFeatures", "");
        VmSpec spec = new VmSpec(required(p, "vmId"), Integer.parseInt(required(p, "memoryMb")),
                Integer.parseInt(required(p, "vcpus")), required(p, "macAddress"), required(p, "diskPath"),
                features.isEmpty() ? List.of() : Arrays.asList(features.split(",")));
        return new Description(name, spec, Long.parseLong(required(p, "pid")), Path.of(required(p, "qmpSocket")),
                Path.of(required(p, "serial")), VmState.valueOf(required(p, "state")), p.getProperty("arrivedBy"));
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("it has no " + key);
        }
        return value;
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
