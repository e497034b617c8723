package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Before the source's hint arrives, the skeleton allocates ahead only a bounded share of its memory, so one whose
 * source never connects does not hold all of it (issue 11, point 7: an agent's peak RSS within 1.3 times the VM's).
 */
class ASkeletonWhoseSourceNeverSaysWhatItSendsAllocatesAnEighthTest {
    private final GuestMemory memory = new GuestMemory(64);
    private Prefaulter prefaulter;

    @AfterEach
    void close() {
        if (prefaulter != null) {
            prefaulter.stop();
        }
        memory.close();
    }

    @Test
    void given_no_hint_when_the_prefaulter_has_run_then_it_stops_at_an_eighth_of_the_pages_and_goes_on_with_a_hint() {
        // given a 64 MB skeleton whose source has not said which pages it sends
        prefaulter = new Prefaulter(memory, "m-1");

        // when the prefaulter has touched what it may
        await(() -> prefaulter.touched() >= memory.pages() / 8);

        // then it stopped at an eighth, unfinished
        assertThat(prefaulter.touched()).isEqualTo(memory.pages() / 8);
        assertThat(prefaulter.done()).isFalse();
        // and a hint (here: every page) lets it finish
        long[] all = new long[memory.pages() / 64];
        java.util.Arrays.fill(all, -1L);
        prefaulter.hint(all);
        await(prefaulter::done);
        assertThat(prefaulter.touched()).isEqualTo(memory.pages());
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("deadline").isBefore(deadline);
            Thread.onSpinWait();
        }
    }
}
