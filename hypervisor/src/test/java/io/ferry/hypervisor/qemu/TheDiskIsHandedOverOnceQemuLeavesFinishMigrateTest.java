package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.HypervisorException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * QEMU announces a migration completed a moment before it leaves finish-migrate for postmigrate: the disk handoff
 * right behind the final copy waits for that step (on a scripted QEMU and a clock of its own, so nothing really waits).
 */
class TheDiskIsHandedOverOnceQemuLeavesFinishMigrateTest {

    /** Answers query-status from a script (the last answer repeats); waiting moves its clock on instead of sleeping. */
    static final class ScriptedQemu implements DiskHandoff.Qemu {
        final Deque<String> answers;
        long nanos;
        int asked;

        ScriptedQemu(List<String> answers) {
            this.answers = new ArrayDeque<>(answers);
        }

        @Override
        public long version() {
            return asked;
        }

        @Override
        public String runState() {
            asked++;
            return answers.size() > 1 ? answers.poll() : answers.peek();
        }

        @Override
        public void awaitAfter(long seen, Duration max) {
            nanos += max.toNanos();
        }
    }

    @Test
    void a_qemu_still_finishing_the_migration_is_waited_for_until_it_is_postmigrate() {
        // given a source whose QEMU has said "completed" but is still finish-migrate for two more questions
        ScriptedQemu qemu = new ScriptedQemu(List.of("finish-migrate", "finish-migrate", "postmigrate"));

        // when the disk is handed over right behind the final copy
        DiskHandoff.confirm("SERVER2", qemu, Duration.ofSeconds(30), () -> qemu.nanos);

        // then it went through once QEMU was postmigrate, having asked until then
        assertThat(qemu.asked).isEqualTo(3);
    }

    @Test
    void a_qemu_that_stays_finish_migrate_past_the_deadline_keeps_the_lease_saying_why() {
        // given a source whose QEMU never leaves finish-migrate
        ScriptedQemu qemu = new ScriptedQemu(List.of("finish-migrate"));

        // when the disk is handed over with a deadline of one second, then it is refused naming the state and the wait
        assertThatThrownBy(() -> DiskHandoff.confirm("SERVER2", qemu, Duration.ofSeconds(1), () -> qemu.nanos))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.reason()).isEqualTo("STORAGE_HANDOFF_FAILED"))
                .hasMessageContaining("finish-migrate").hasMessageContaining("1000 ms").hasMessageContaining("lease stays");
        // and it gave up only once the deadline had passed
        assertThat(qemu.nanos).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void a_qemu_that_still_runs_the_guest_keeps_the_lease_at_once() {
        // given a source whose QEMU runs the guest (the final copy never completed)
        ScriptedQemu qemu = new ScriptedQemu(List.of("running"));

        // when the disk is handed over, then it is refused without waiting
        assertThatThrownBy(() -> DiskHandoff.confirm("SERVER2", qemu, Duration.ofSeconds(30), () -> qemu.nanos))
                .isInstanceOfSatisfying(HypervisorException.class,
                        e -> assertThat(e.reason()).isEqualTo("STORAGE_HANDOFF_FAILED"))
                .hasMessageContaining("run state running");
        assertThat(qemu.asked).isEqualTo(1);
        assertThat(qemu.nanos).isZero();
    }
}
