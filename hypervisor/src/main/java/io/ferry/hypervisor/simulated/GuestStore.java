package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's run directory for simulated guests, which outlives the agent process as QEMU guests do: per VM its
 * memory ({@code VM.mem}, with {@code VM.mem.used}) and a small description ({@code VM.vm}: spec, state, workload,
 * device state). A restarted agent re-adopts every running or paused guest found here; a skeleton is dropped, since
 * the incoming migration it waited for died with the old agent. Files go when their VM leaves the host.
 */
public final class GuestStore {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GuestStore.class);
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Written once the host's start-up inventory was booted: from then on this directory, not the setting, is the truth. */
    private static final String INITIALISED = "inventory-booted";

    /** Names, in a store whose guests' pages live elsewhere, the directory that holds them (for {@link #wipe}). */
    private static final String MEMORY_DIR = "memory-dir";

    private final Path dir;
    private final Path memoryDir;
    private final WarmMemory warm;

    public GuestStore(Path dir) {
        this(dir, dir);
    }

    /**
     * @param memoryDir where the guests' pages are kept ({@code VM.mem}), when not in {@code dir}: a hugetlbfs
     *     directory, which takes mappings only, while descriptions and used bitmaps stay in {@code dir}
     */
    public GuestStore(Path dir, Path memoryDir) {
        this.dir = dir.toAbsolutePath();
        this.memoryDir = memoryDir.toAbsolutePath();
        this.warm = new WarmMemory(this.memoryDir);
        try {
            Files.createDirectories(this.dir);
            Files.createDirectories(this.memoryDir);
            if (!this.memoryDir.equals(this.dir)) {
                Files.writeString(this.dir.resolve(MEMORY_DIR), this.memoryDir.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the guests' run directory " + this.dir + " (ferry.agent.run-dir) "
                    + "or their memory directory " + this.memoryDir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * A guest as the store keeps it; {@code arrivedBy}, the migration that brought it here (null: booted here). A guest
     * described running or paused with it has resumed here for that migration: skeletons stay SKELETON until then.
     */
    public record Saved(VmSpec spec, VmState state, GuestWorkload workload, byte[] deviceState, String arrivedBy) {}

    /** Where the guest's memory is kept: its pages in the memory directory, its used bitmap here. */
    public GuestMemory.Kept kept(String vmId) {
        return new GuestMemory.Kept(memoryDir.resolve(fileName(vmId) + ".mem"), dir.resolve(fileName(vmId) + ".mem.used"));
    }

    private GuestMemory.Kept keptAt(Path memory) {
        return new GuestMemory.Kept(memory, dir.resolve(memory.getFileName() + ".used"));
    }

    private Path descriptionFile(String vmId) {
        return dir.resolve(fileName(vmId) + ".vm");
    }

    /** Whether this host booted its start-up inventory before: then a restart adopts what is here instead. */
    public boolean initialised() {
        return Files.exists(dir.resolve(INITIALISED));
    }

    public void markInitialised() {
        try {
            Files.writeString(dir.resolve(INITIALISED), "the start-up inventory was booted; delete this directory to boot it "
                    + "afresh\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(INITIALISED) + ": " + e.getMessage(), e);
        }
    }

    /** Writes the guest's description atomically (a restart reads either the old or the new one, never half). */
    public synchronized void save(VmSpec spec, VmState state, GuestWorkload workload, byte[] deviceState, String arrivedBy) {
        Properties p = new Properties();
        p.setProperty("vmId", spec.vmId());
        p.setProperty("memoryMb", Integer.toString(spec.memoryMb()));
        p.setProperty("vcpus", Integer.toString(spec.vcpus()));
        p.setProperty("macAddress", spec.macAddress());
        p.setProperty("diskPath", spec.diskPath());
        p.setProperty("cpuFeatures", String.join(",", spec.cpuFeatures()));
        p.setProperty("state", state.name());
        p.setProperty("workload", workload.toString());
        p.setProperty("deviceState", Base64.getEncoder().encodeToString(deviceState));
        if (arrivedBy != null) {
            p.setProperty("arrivedBy", arrivedBy);
        }
        Path target = descriptionFile(spec.vmId());
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                p.store(out, "a simulated guest of this host; its memory is " + kept(spec.vmId()).memory());
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + spec.vmId() + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The guests to re-adopt: every running or paused one described here. Skeletons and files without a description
     * (a boot or an arrival that did not finish) are deleted.
     */
    public List<Saved> adoptable() {
        List<Saved> guests = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        for (Path file : list(dir, ".vm")) {
            Saved saved;
            try {
                saved = read(file);
            } catch (IOException | RuntimeException e) {
                log.warn("dropping unreadable guest description {}: {}", file, e.getMessage());
                deleteQuietly(file);
                continue;
            }
            if (saved.state() == VmState.SKELETON) {
                log.info("dropping the skeleton of {}: the incoming migration it waited for ended with the previous agent",
                        saved.spec().vmId());
                delete(saved.spec().vmId());
                continue;
            }
            guests.add(saved);
            kept.add(kept(saved.spec().vmId()).memory());
        }
        for (Path memory : list(memoryDir, ".mem")) {
            if (!kept.contains(memory)) {
                log.info("dropping guest memory {} that no guest description names", memory);
                GuestMemory.deleteFiles(keptAt(memory));
            }
        }
        return guests;
    }

    /** Deletes a guest's files: it left this host (migrated away, discarded, rolled back as a skeleton). */
    public void delete(String vmId) {
        GuestMemory.deleteFiles(kept(vmId));
        deleteQuietly(descriptionFile(vmId));
    }

    /**
     * The guest leaves: its description is deleted and its memory files are renamed out of its way, so the id is free
     * for a guest that comes back while the old memory is still being released. Returns the renamed memory file for
     * {@link GuestMemory#deleteFiles} (a restarted agent deletes one it finds: no description names it), or null when
     * there was none.
     */
    public GuestMemory.Kept retire(String vmId) {
        deleteQuietly(descriptionFile(vmId));
        GuestMemory.Kept current = kept(vmId);
        if (!Files.exists(current.memory())) {
            return null;
        }
        GuestMemory.Kept retired = keptAt(memoryDir.resolve("retired-" + java.util.UUID.randomUUID() + ".mem"));
        try {
            if (Files.exists(current.used())) {
                Files.move(current.used(), retired.used(), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(current.memory(), retired.memory(), StandardCopyOption.ATOMIC_MOVE);
            return retired;
        } catch (IOException e) {
            log.warn("could not set the memory of {} aside ({}); deleting it now", vmId, e.getMessage());
            GuestMemory.deleteFiles(current);
            return null;
        }
    }

    /** Whether memory of a guest that leaves is kept for the next of its size (see {@link WarmMemory}). */
    boolean keepsWarm() {
        return warm.enabled();
    }

    /**
     * Memory of {@code bytes} that a guest which left had touched, if some is kept, its file moved to where guest
     * {@code vmId}'s memory lives, for {@link GuestMemory#persistentOn}; null when none is kept.
     */
    GuestMemory.Mapped claimWarm(String vmId, long bytes) {
        return warm.claim(kept(vmId).memory(), bytes);
    }

    /** A guest that ran here left and its memory was detached: kept for the next of its size (or released). */
    void keepWarm(GuestMemory.Mapped mapped, GuestMemory.Kept retired) {
        warm.keep(mapped, retired.used());
    }

    /** Bytes of kept memory waiting for arrivals. */
    long warmBytes() {
        return warm.keptBytes();
    }

    /** The agent stops: kept memory goes back to the host (guests stay, for the next agent). */
    void releaseWarm() {
        warm.releaseAll();
    }

    /** Deletes every guest of this host and the mark that its inventory was booted: the next start is a fresh one. */
    public static void wipe(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path pointer = dir.resolve(MEMORY_DIR);
        try {
            if (Files.isRegularFile(pointer)) {
                wipe(Path.of(Files.readString(pointer).strip())); // the pages kept elsewhere (hugetlbfs) go too
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer + ": " + e.getMessage(), e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe the guests' run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private Saved read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String features = p.getProperty("cpuFeatures", "");
        VmSpec spec = new VmSpec(required(p, "vmId"), Integer.parseInt(required(p, "memoryMb")),
                Integer.parseInt(required(p, "vcpus")), required(p, "macAddress"), required(p, "diskPath"),
                features.isEmpty() ? List.of() : Arrays.asList(features.split(",")));
        return new Saved(spec, VmState.valueOf(required(p, "state")), GuestWorkload.parse(required(p, "workload")),
                Base64.getDecoder().decode(required(p, "deviceState")), p.getProperty("arrivedBy"));
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return value;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    /** A VM id as a file name: itself when plain, else its URL-safe Base64 (ids come from commands). */
    private static String fileName(String vmId) {
        return PLAIN.matcher(vmId).matches() ? vmId
                : "b64-" + Base64.getUrlEncoder().withoutPadding().encodeToString(vmId.getBytes(StandardCharsets.UTF_8));
    }
}
