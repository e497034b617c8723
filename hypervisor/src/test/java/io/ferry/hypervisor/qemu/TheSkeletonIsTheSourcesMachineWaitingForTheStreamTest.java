package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TheSkeletonIsTheSourcesMachineWaitingForTheStreamTest {

    @Test
    void the_destination_runs_the_same_machine_paused_and_deferring_its_incoming_migration() {
        // given a guest's spec and a host's settings
        QemuHypervisor.Settings settings = settings("tcg");
        VmSpec spec = new VmSpec("SERVER2", 256, 2, "00:15:5d:01:02:03", "/shared/disks/SERVER2.qcow2", List.of());
        QemuCommandLine.Files source = QemuCommandLine.Files.in(Path.of("/run/ferry"), "SERVER2");
        QemuCommandLine.Files destination = QemuCommandLine.Files.in(Path.of("/run/ferry"), "SERVER2-in-1");

        // when the source's and the skeleton's command lines are built
        List<String> guest = QemuCommandLine.guest(settings, spec, source);
        List<String> skeleton = QemuCommandLine.skeleton(settings, spec, destination);

        // then the skeleton is the same machine (memory, vCPUs, MAC, the shared disk) with only its own files differing,
        // and it waits for the stream (-incoming defer) and stays paused after it (-S)
        // (its RAM 2 pages short of 256 MiB under TCG in a QEMU before 9.0: see QemuCommandLine.ramKib)
        assertThat(guest).containsSequence("-m", QemuCommandLine.ramKib(settings, spec) + "k").containsSequence("-smp", "2")
                .contains("virtio-net-pci,netdev=net0,mac=00:15:5d:01:02:03,addr=0x2")
                .contains("file=/shared/disks/SERVER2.qcow2,format=qcow2,if=none,id=disk0,cache=none")
                .containsSequence("-accel", "tcg").doesNotContain("-incoming", "-S");
        List<String> withoutIncoming = new ArrayList<>(skeleton);
        assertThat(withoutIncoming.subList(withoutIncoming.size() - 3, withoutIncoming.size()))
                .containsExactly("-incoming", "defer", "-S");
        List<String> sameMachine = withoutIncoming.subList(0, withoutIncoming.size() - 3).stream()
                .map(arg -> arg.replace("SERVER2-in-1", "SERVER2")).toList();
        assertThat(sameMachine).isEqualTo(guest);
    }

    @Test
    void a_spare_skeleton_with_the_guests_devices_plugged_in_is_the_same_machine() {
        // given a host's settings and a guest's spec
        QemuHypervisor.Settings settings = settings("tcg");
        VmSpec spec = new VmSpec("SERVER2", 256, 2, "00:15:5d:01:02:03", "/shared/disks/SERVER2.qcow2", List.of());
        String ram = "/dev/shm/ferry-ram-1/guest-x.ram";

        // when a spare of its shape is started and its devices are plugged in with the monitor's commands
        List<String> spare = QemuCommandLine.spare(settings, "spare-1", QemuCommandLine.ramKib(settings, spec), 2,
                QemuCommandLine.Files.in(Path.of("/run/ferry"), "spare-1"), ram);
        QemuCommandLine.Devices devices = QemuCommandLine.devices(settings, spec);
        List<String> plugged = new ArrayList<>(spare.stream().map(arg -> arg.replace("spare-1", "SERVER2-in-1")).toList());
        plugged.addAll(devices.arguments());

        // then it is the skeleton a guest's own start would have been, on the same memory
        List<String> skeleton = QemuCommandLine.skeleton(settings, spec,
                QemuCommandLine.Files.in(Path.of("/run/ferry"), "SERVER2-in-1"), java.util.Optional.of(ram), true);
        assertThat(plugged).containsExactlyInAnyOrderElementsOf(skeleton.stream()
                .map(arg -> arg.equals("SERVER2") ? "SERVER2-in-1" : arg).toList());
        assertThat(devices.plugCommands()).containsExactly("netdev_add user,id=net0",
                "device_add virtio-net-pci,netdev=net0,mac=00:15:5d:01:02:03,addr=0x2",
                "drive_add 0 file=/shared/disks/SERVER2.qcow2,format=qcow2,if=none,id=disk0,cache=none",
                "device_add virtio-blk-pci,drive=disk0,addr=0x3");
    }

    @Test
    void only_under_tcg_in_a_qemu_before_9_is_the_ram_sized_off_qemus_whole_bitmap_words_so_its_dirty_sync_misses_no_store() {
        VmSpec spec = new VmSpec("SERVER2", 256, 1, "00:15:5d:01:02:03", "/shared/disks/SERVER2.qcow2", List.of());
        QemuCommandLine.Files files = QemuCommandLine.Files.in(Path.of("/run/ferry"), "SERVER2");

        long tcg = QemuCommandLine.ramKib(settings("tcg"), spec, 7);
        long tcgSingle = QemuCommandLine.ramKib(settings("tcg,thread=single"), spec, 8);
        long tcgFixed = QemuCommandLine.ramKib(settings("tcg"), spec, 9);
        long tcgNewer = QemuCommandLine.ramKib(settings("tcg"), spec, 10);
        long kvm = QemuCommandLine.ramKib(settings("kvm"), spec, 7);

        // QEMU's fast sync takes RAM blocks of whole 64-page words (256 KiB); -m is rounded up to 8 KiB
        assertThat(tcg).isEqualTo(tcgSingle).isEqualTo(256 * 1024 - 8);
        assertThat(tcg % 256).isNotZero();
        assertThat(tcg % 8).isZero();
        assertThat(tcgFixed).isEqualTo(tcgNewer).isEqualTo(256 * 1024);
        assertThat(kvm).isEqualTo(256 * 1024);
        assertThat(QemuCommandLine.guest(settings("kvm"), spec, files)).containsSequence("-m", "262144k");
    }

    private static QemuHypervisor.Settings settings(String accel) {
        return new QemuHypervisor.Settings("qemu-system-x86_64",
                new GuestImage(Path.of("/cache/vmlinuz"), Path.of("/cache/initrd.gz")), "pc", accel, 64, 64, "none",
                Path.of("/run/ferry"), 4096, List.of(), "127.0.0.1", "127.0.0.1");
    }
}
