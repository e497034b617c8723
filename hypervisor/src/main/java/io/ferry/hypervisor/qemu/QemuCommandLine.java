package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of a guest. A migration needs the same machine on both hosts, so the destination's skeleton
 * is the source's command line with only the incoming side added: {@code -incoming defer} (capabilities are set before
 * it listens) and {@code -S} (it stays paused after the stream arrived, until RESUME runs it).
 */
public final class QemuCommandLine {
    private QemuCommandLine() {}

    /** Where one QEMU keeps its serial console, QMP socket and pid file. */
    public record Files(Path serial, Path qmpSocket, Path pidFile) {
        static Files in(Path runDir, String name) {
            return new Files(runDir.resolve(name + ".serial"), runDir.resolve(name + ".qmp"), runDir.resolve(name + ".pid"));
        }
    }

    /** With its RAM in a file QEMU creates in /dev/shm and unlinks at once (where /dev/shm has room for it). */
    public static List<String> guest(QemuHypervisor.Settings settings, VmSpec spec, Files files) {
        // asked once: the machine's backend and the object it names must agree
        return guest(settings, spec, files, sharedRamDir(ramKib(settings, spec) * 1024));
    }

    /**
     * @param sharedRam the file (or the tmpfs directory to make one in) QEMU maps shared as the guest's RAM; empty:
     *     QEMU's default private memory
     */
    static List<String> guest(QemuHypervisor.Settings settings, VmSpec spec, Files files,
            java.util.Optional<String> sharedRam) {
        return guest(settings, spec, files, sharedRam, false);
    }

    /** @param prealloc QEMU maps every page of the shared RAM at its start ({@code prealloc=on}) */
    private static List<String> guest(QemuHypervisor.Settings settings, VmSpec spec, Files files,
            java.util.Optional<String> sharedRam, boolean prealloc) {
        List<String> args = machine(settings, spec.vmId(), ramKib(settings, spec), spec.vcpus(), files, sharedRam, prealloc);
        args.addAll(devices(settings, spec).arguments());
        return args;
    }

    /** Everything of a guest's command line but its devices (the same for every guest of a shape on this host). */
    private static List<String> machine(QemuHypervisor.Settings settings, String name, long ramKib, int vcpus, Files files,
            java.util.Optional<String> sharedRam, boolean prealloc) {
        List<String> args = new ArrayList<>(List.of(
                settings.binary(),
                "-name", name,
                "-M", settings.machine() + (sharedRam.isEmpty() ? "" : ",memory-backend=" + RAM_ID),
                "-accel", settings.accel(),
                "-m", ramKib + "k",
                "-smp", Integer.toString(vcpus),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-kernel", settings.image().kernel().toString(),
                "-initrd", settings.image().initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 ferry.dirty=" + settings.dirtyMb(),
                "-serial", "file:" + files.serial(),
                "-qmp", "unix:" + files.qmpSocket() + ",server=on,wait=off",
                "-pidfile", files.pidFile().toString()));
        sharedRam.ifPresent(dir -> args.addAll(List.of("-object", "memory-backend-file,id=" + RAM_ID + ",size=" + ramKib
                + "k,mem-path=" + dir + ",share=on" + (prealloc ? ",prealloc=on" : ""))));
        return args;
    }

    /**
     * A guest's own devices, one option string each: on the command line of a guest or a skeleton, and plugged by the
     * same strings into a spare skeleton when a guest arrives ({@link SpareSkeletons}). Their PCI slots are written
     * out: a migration stream names a device by its slot, and plugged devices must land where the source's are.
     */
    record Devices(String netdev, String nic, String drive, String disk) {
        List<String> arguments() {
            return List.of("-netdev", netdev, "-device", nic, "-drive", drive, "-device", disk);
        }

        /** The monitor commands that plug them into a QEMU started without them, in the command line's order. */
        List<String> plugCommands() {
            return List.of("netdev_add " + netdev, "device_add " + nic, "drive_add 0 " + drive, "device_add " + disk);
        }
    }

    static Devices devices(QemuHypervisor.Settings settings, VmSpec spec) {
        return new Devices("user,id=net0", "virtio-net-pci,netdev=net0,mac=" + spec.macAddress() + ",addr=0x2",
                "file=" + spec.diskPath() + ",format=qcow2,if=none,id=disk0,cache=" + settings.diskCache(),
                "virtio-blk-pci,drive=disk0,addr=0x3");
    }

    /**
     * A spare skeleton: a skeleton of {@code ramKib} and {@code vcpus} without a guest's devices yet, on a RAM file a
     * departed guest touched ({@code prealloc=on}: see {@link #skeleton(QemuHypervisor.Settings, VmSpec, Files,
     * java.util.Optional, boolean)}).
     */
    static List<String> spare(QemuHypervisor.Settings settings, String name, long ramKib, int vcpus, Files files,
            String ramFile) {
        List<String> args = machine(settings, name, ramKib, vcpus, files, java.util.Optional.of(ramFile), true);
        args.addAll(INCOMING);
        return args;
    }

    /** Waits for the stream ({@code migrate-incoming}, after its capabilities are set) and stays paused after it. */
    private static final List<String> INCOMING = List.of("-incoming", "defer", "-S");

    /**
     * The guest's RAM is a shared mapping of a file QEMU creates in tmpfs and unlinks at once (it goes with the process),
     * not QEMU's default private anonymous memory: here a destination writing the stream into anonymous memory streamed
     * round 1 at 150-200 MB/s, into tmpfs at 280-450 (two local QEMUs, 256 MB guest rewriting 64 MiB, 5 s after
     * arrival: round 1 720-990 ms against 324-523). QEMU's default when /dev/shm lacks twice the guest's RAM: a guest
     * whose tmpfs fills up would die of SIGBUS on its next write to a page not yet backed.
     */
    static java.util.Optional<String> sharedRamDir(long ramBytes) {
        Path dir = Path.of("/dev/shm");
        return roomForTwice(dir, ramBytes) ? java.util.Optional.of(dir.toString()) : java.util.Optional.empty();
    }

    /** Whether the tmpfs {@code dir} has room for a guest's RAM twice over (see {@link #sharedRamDir}). */
    static boolean roomForTwice(Path dir, long ramBytes) {
        try {
            return java.nio.file.Files.isDirectory(dir) && java.nio.file.Files.getFileStore(dir).getUsableSpace() >= 2 * ramBytes;
        } catch (java.io.IOException e) {
            return false;
        }
    }
    /** QEMU's default-ram-id for x86 (query-machines): the RAM block keeps its name, so either kind migrates to the other. */
    static final String RAM_ID = "pc.ram";

    /**
     * The guest's RAM in KiB, QEMU's {@code -m}: {@code memoryMb}, and under TCG in QEMU before 9.0 8 KiB less. Those
     * QEMUs lose guest writes in a live migration: for a RAM block whose length is a whole number of 64-page bitmap
     * words (any whole number of MiB), the dirty-bitmap sync takes a fast path that clears the migration's dirty bits
     * without resetting the vCPU's TLB entries that already let stores skip dirty tracking, so a store through such an
     * entry after the sync marks nothing and the destination resumes with the page's older content (fixed upstream by
     * commit 03bfc2188f, "physmem: Fix migration dirty bitmap coherency with TCG memory access", QEMU 9.0). A length 2
     * pages short of a whole word sends every sync down QEMU's exact per-page path instead, which resets those entries.
     * That path lost a whole page too, in 1 of ~96 migrations on 7.2 and 1 of 66 on 10.0, once the switchover's
     * catch-up added syncs while the guest ran (likely: it clears a page's bit and resets its entry back to back, and a
     * vCPU's first store to the clean page can mark it just before and drop the entry's tracking just after); 10.0 with
     * the whole size, whose fixed fast path clears the whole block before it resets the entries, lost none in 300. So a
     * QEMU with the fix gets the whole size. KVM tracks dirty pages itself and gets the whole size. Both hosts derive it
     * from the same spec, accelerator and QEMU version, so the skeleton's RAM block matches the source's.
     */
    static long ramKib(QemuHypervisor.Settings settings, VmSpec spec) {
        return ramKib(settings, spec, QemuVersion.major(settings.binary()));
    }

    static long ramKib(QemuHypervisor.Settings settings, VmSpec spec, int qemuMajor) {
        long kib = spec.memoryMb() * 1024L;
        return tcg(settings) && qemuMajor < FIXED_TCG_DIRTY_SYNC ? kib - TCG_RAM_SHORTFALL_KIB : kib;
    }

    /** 2 pages: QEMU rounds {@code -m} up to 8 KiB, and 64-page words (256 KiB) take the fast path. */
    static final long TCG_RAM_SHORTFALL_KIB = 8;
    /** The first QEMU whose fast dirty-bitmap sync resets the TLB entries it makes stale (03bfc2188f). */
    static final int FIXED_TCG_DIRTY_SYNC = 9;

    static boolean tcg(QemuHypervisor.Settings settings) {
        return settings.accel().equals("tcg") || settings.accel().startsWith("tcg,");
    }

    public static List<String> skeleton(QemuHypervisor.Settings settings, VmSpec spec, Files files) {
        return skeleton(settings, spec, files, sharedRamDir(ramKib(settings, spec) * 1024), false);
    }

    /**
     * @param prealloc the skeleton maps every page of its RAM file at its start: for a file a departed guest touched
     *     (see {@link GuestRam}) that costs ~15 ms for 256 MB here, and round 1 then writes into pages this QEMU has
     *     mapped already instead of taking a fault on each (~5-15 µs here, itself a VM); for a fresh file it would cost
     *     ~0.6 s at the start, so it is not asked for one
     */
    static List<String> skeleton(QemuHypervisor.Settings settings, VmSpec spec, Files files,
            java.util.Optional<String> sharedRam, boolean prealloc) {
        List<String> args = guest(settings, spec, files, sharedRam, prealloc);
        args.addAll(INCOMING);
        return args;
    }
}
