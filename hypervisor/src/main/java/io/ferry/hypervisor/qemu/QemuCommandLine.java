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

    public static List<String> guest(QemuHypervisor.Settings settings, VmSpec spec, Files files) {
        List<String> args = new ArrayList<>(List.of(
                settings.binary(),
                "-name", spec.vmId(),
                "-M", settings.machine(),
                "-accel", settings.accel(),
                "-m", Integer.toString(spec.memoryMb()),
                "-smp", Integer.toString(spec.vcpus()),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-kernel", settings.image().kernel().toString(),
                "-initrd", settings.image().initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 ferry.dirty=" + settings.dirtyMb(),
                "-netdev", "user,id=net0",
                "-device", "virtio-net-pci,netdev=net0,mac=" + spec.macAddress(),
                "-drive", "file=" + spec.diskPath() + ",format=qcow2,if=none,id=disk0,cache=" + settings.diskCache(),
                "-device", "virtio-blk-pci,drive=disk0",
                "-serial", "file:" + files.serial(),
                "-qmp", "unix:" + files.qmpSocket() + ",server=on,wait=off",
                "-pidfile", files.pidFile().toString()));
        return args;
    }

    public static List<String> skeleton(QemuHypervisor.Settings settings, VmSpec spec, Files files) {
        List<String> args = guest(settings, spec, files);
        args.addAll(List.of("-incoming", "defer", "-S"));
        return args;
    }
}
