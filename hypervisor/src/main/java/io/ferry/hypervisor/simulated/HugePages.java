package io.ferry.hypervisor.simulated;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guest memory on hugetlbfs, as QEMU's {@code -mem-path /dev/hugepages}: the pages come from the kernel's reserved pool
 * ({@code vm.nr_hugepages}), which stays allocated while files come and go. On this machine, itself a VM, that is
 * the difference between about 3 s per GiB for a first write to fresh memory and about 0.4 s per GiB for a page of
 * the pool that was written once before (the kernel only zeroes it), so a skeleton's memory can be ready before the
 * stream arrives. hugetlbfs takes mappings only (no write calls) in whole huge pages, which is what this checks.
 */
final class HugePages {
    private static final long DEFAULT_PAGE = 2L << 20;
    private final Path directory;
    private final long pageBytes;

    private HugePages(Path directory, long pageBytes) {
        this.directory = directory;
        this.pageBytes = pageBytes;
    }

    /** The directory's huge pages when it is on hugetlbfs, else null. */
    static HugePages of(Path directory) {
        try {
            if (!"hugetlbfs".equals(Files.getFileStore(directory).type())) {
                return null;
            }
        } catch (IOException | SecurityException e) {
            return null;
        }
        return new HugePages(directory, meminfo("Hugepagesize:", DEFAULT_PAGE / 1024) * 1024);
    }

    /** Sizes the file to the guest's memory before it is mapped; hugetlbfs refuses a size of part of a huge page. */
    void prepare(Path file, long bytes) throws IOException {
        if (bytes % pageBytes != 0) {
            throw new IOException("guest memory of " + (bytes >> 20) + " MiB is not a whole number of " + (pageBytes >> 20)
                    + " MiB huge pages; give the VM a multiple of " + (pageBytes >> 20) + " MiB (as Hyper-V asks for "
                    + "multiples of 2 MB), or unset ferry.agent.memory-dir");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
    }

    /** What the pool holds, for an error: a mapping fails when it has too few free pages. */
    String describe() {
        return directory + " is hugetlbfs: its pool has " + meminfo("HugePages_Free:", -1) + " free of "
                + meminfo("HugePages_Total:", -1) + " huge pages of " + (pageBytes >> 20) + " MiB; raise vm.nr_hugepages "
                + "or unset ferry.agent.memory-dir";
    }

    private static long meminfo(String field, long otherwise) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the caller's default
        }
        return otherwise;
    }
}
