package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThePacerNeverLetsTheLinkGoFasterThanItsCapTest {

    @Test
    void idle_time_before_sending_is_not_spent_as_a_burst_above_the_cap() throws Exception {
        // given a 100 Mbit/s link that stayed idle for half a second
        Pacer pacer = new Pacer(100);
        Thread.sleep(500);

        // when 5 MB go through it in 64 KiB pieces
        long started = System.nanoTime();
        for (int i = 0; i < 80; i++) {
            pacer.sent(65_536);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // then they took at least what the cap allows (5.24 MB at 12.5 MB/s = 0.42 s), less the burst credit
        assertThat(seconds).isGreaterThanOrEqualTo(80 * 65_536 / 12.5e6 - Pacer.BURST_NANOS / 1e9 - 0.001);
    }
}
