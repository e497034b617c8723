package io.ferry.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.schema.common.FailureReason;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BothDriversGiveUpOnTheSameConvergenceRuleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CopyPolicy policy = new CopyPolicy(300, 0, 30, false, Compression.NONE, 2_000);
    private final Convergence convergence = new Convergence(policy, now::get);

    @Test
    void only_a_round_that_shrinks_the_best_set_by_five_percent_is_progress() {
        // given a first round that left 1000 pages
        assertThat(convergence.observe(1_000)).isTrue();

        // when the next rounds leave 960 (4 % less) and then 950 (5 % less)
        boolean fourPercent = convergence.observe(960);
        boolean fivePercent = convergence.observe(949);

        // then only the second counts
        assertThat(fourPercent).isFalse();
        assertThat(fivePercent).isTrue();
    }

    @Test
    void a_set_that_has_not_shrunk_for_the_progress_timeout_stalls_until_a_throttle_step_restarts_the_clock() {
        // given progress, then rounds that do not shrink the set
        convergence.observe(1_000);
        now.addAndGet(1_999_000_000L);
        assertThat(convergence.observe(1_000)).isFalse();
        assertThat(convergence.stalled()).isFalse();

        // when more than the 2 s progress timeout has gone by
        now.addAndGet(2_000_000L);

        // then it has stalled, and a new throttle step gives it its own chance
        assertThat(convergence.stalled()).isTrue();
        convergence.restart();
        assertThat(convergence.stalled()).isFalse();
    }

    @Test
    void throttle_steps_go_twenty_then_ten_more_up_to_ninety_nine() {
        assertThat(Convergence.nextThrottle(0)).isEqualTo(20);
        assertThat(Convergence.nextThrottle(20)).isEqualTo(30);
        assertThat(Convergence.nextThrottle(90)).isEqualTo(99);
        assertThat(Convergence.nextThrottle(99)).isEqualTo(99);
    }

    @Test
    void giving_up_says_what_was_left_against_the_limit_and_what_to_change() {
        // when pre-copy gives up with a throttled guest, auto-converge not allowed
        HypervisorException e = convergence.notConverging(7, 12_345, " (the guest dirties 9 pages/s)", 812, 40,
                "the guest keeps running on the source");

        // then the reason is NOT_CONVERGING and the message names the figures and the remedies
        assertThat(e.code()).isEqualTo(FailureReason.NOT_CONVERGING);
        assertThat(e.getMessage()).isEqualTo("after 7 rounds 12345 pages are still dirty (the guest dirties 9 pages/s), an"
                + " expected downtime of 812 ms against the 300 ms allowed even with the guest throttled 40 %; the guest"
                + " keeps running on the source. Allow auto-converge, raise the bandwidth or the downtime limit, or"
                + " migrate when the guest is quieter.");
    }
}
