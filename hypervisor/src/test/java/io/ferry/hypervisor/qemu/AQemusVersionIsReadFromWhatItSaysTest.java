package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The RAM rule (QemuCommandLine.ramKib) depends on QEMU's major version, read once from {@code --version}. */
class AQemusVersionIsReadFromWhatItSaysTest {
    @Test
    void a_qemus_major_version_is_read_from_what_it_says_and_one_that_says_nothing_counts_as_the_oldest() {
        assertThat(QemuVersion.parse("QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\nCopyright"))
                .isEqualTo(10);
        assertThat(QemuVersion.parse("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)")).isEqualTo(7);
        assertThat(QemuVersion.parse("bash: qemu-system-x86_64: command not found")).isZero();
        assertThat(QemuVersion.major("/nonexistent/qemu-system-x86_64")).isZero();
    }
}
