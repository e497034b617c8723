package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.estimate.GuestSample;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write-heavy guest dirties every page it has within a few milliseconds. Watched only from an eighth of the window
 * on, its sample could say no more than "its memory per eighth of a second", many times below its real rate; the
 * estimate then had it converge at 1 Gbit/s under a 99 % throttle, where it failed NOT_CONVERGING. This is the guest's
 * first sample: its writes once ran in the interpreter for the start of the window (see GuestMemory's sampling log).
 */
class AGuestThatDirtiesAllItsMemoryInAnInstantIsSampledAtItsRateTest {
    private static final VmSpec SPEC = new VmSpec("SERVER2", 64, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of());
    private final SimulatedHypervisor host = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6,
            GuestWorkload.parse("heavy"), null, null, "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());

    @AfterEach
    void close() throws Exception {
        host.close();
    }

    @Test
    void its_sampled_rate_is_above_its_memory_per_eighth_of_the_window() throws InterruptedException {
        // given a write-heavy guest of 64 MB (16,384 pages) that has written its pages 50 times over: sampled at once, its
        // first writes pay the host's first touch of fresh memory (~19 µs a page here) and run before the JIT has
        // compiled them, which says nothing about its rate
        host.boot(SPEC);
        long pages = SPEC.memoryMb() * 256L;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (host.vm("SERVER2").writes() < 50 * pages) {
            assertThat(System.nanoTime()).as("the guest's writes within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }

        // when it is sampled over 1 s
        GuestSample sample = host.sample("SERVER2", Duration.ofSeconds(1)).orElseThrow();

        // then the rate is measured, not bounded by what an eighth of the window can show
        assertThat(sample.dirtyPagesPerSec()).as("sample %s", sample).isGreaterThan(2.0 * pages / 0.125);
    }
}
