package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guest's RAM is a shared mapping of a tmpfs file (a destination writes the stream into it faster than into
 * private anonymous memory here), of exactly -m's size, under QEMU's default RAM id so its RAM block keeps the name a
 * QEMU with default RAM migrates to and from. A host whose /dev/shm lacks twice the guest's RAM gets QEMU's default.
 */
class TheGuestsRamIsASharedTmpfsMappingOfItsOwnSizeTest {

    @Test
    void the_machine_takes_its_ram_from_a_shared_tmpfs_backend_named_as_qemus_default() {
        assumeTrue(QemuCommandLine.sharedRamDir(256L << 20).isPresent(), "this host has no /dev/shm with room for the guest");
        // given a 256 MB guest's spec and a host's settings
        QemuHypervisor.Settings settings = new QemuHypervisor.Settings("qemu-system-x86_64",
                new GuestImage(Path.of("/cache/vmlinuz"), Path.of("/cache/initrd.gz")), "pc", "kvm", 64, 64, "none",
                Path.of("/run/ferry"), 4096, List.of(), "127.0.0.1", "127.0.0.1");
        VmSpec spec = new VmSpec("SERVER2", 256, 2, "00:15:5d:01:02:03", "/shared/disks/SERVER2.qcow2", List.of());

        // when its command line is built
        List<String> guest = QemuCommandLine.guest(settings, spec, QemuCommandLine.Files.in(Path.of("/run/ferry"), "SERVER2"));

        // then the machine's memory backend is a shared mapping in /dev/shm (QEMU unlinks its file at once) of -m's size
        assertThat(guest).containsSequence("-M", "pc,memory-backend=pc.ram").containsSequence("-m", "262144k")
                .containsSequence("-object", "memory-backend-file,id=pc.ram,size=262144k,mem-path=/dev/shm,share=on");
    }

    @Test
    void a_guest_larger_than_half_of_what_dev_shm_has_free_keeps_qemus_default_ram() {
        // when /dev/shm could not hold the guest twice, then its RAM is QEMU's own
        assertThat(QemuCommandLine.sharedRamDir(Long.MAX_VALUE / 4)).isEmpty();
    }
}
