package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class BootedPagesFollowTheContentMixTest {

    @Test
    void a_booted_guest_used_its_share_of_pages_with_random_text_and_zero_content_in_the_configured_mix() {
        // given a guest booted at 50 % utilisation with half random, a third text and a sixth zero pages
        VmSpec spec = new VmSpec("MIX", 16, 2, "00:15:5d:00:00:03", "/d/mix.vhdx", List.of());
        try (SimulatedVm vm = SimulatedVm.boot(spec, 0.5, ContentMix.parse("zero:0.1667,random:0.5,text:0.3333"), GuestWorkload.IDLE,
                null, 3)) {
            GuestMemory memory = vm.memory();

            // when its used pages are classified by how well they compress
            int used = memory.pages() / 2; // boot uses the first pages
            int zero = 0;
            int text = 0;
            int random = 0;
            byte[] page = new byte[GuestMemory.PAGE_SIZE];
            for (int p = 0; p < used; p++) {
                memory.read(p, page, 0);
                if (memory.isZero(p)) {
                    zero++;
                } else if (deflated(page) < GuestMemory.PAGE_SIZE / 2) {
                    text++;
                } else {
                    random++;
                }
            }

            // then half the pages are used, in about the configured shares
            assertThat(memory.usedCount()).isEqualTo(used);
            assertThat(random / (double) used).isCloseTo(0.5, within(0.05));
            assertThat(text / (double) used).isCloseTo(0.333, within(0.05));
            assertThat(zero / (double) used).isCloseTo(0.167, within(0.05));
        }
    }

    @Test
    void text_pages_compress_but_are_not_one_repeated_byte() {
        // given a text page
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        ContentMix.fill(page, ContentMix.Kind.TEXT, new SplittableRandom(1));

        // then it deflates to well under half, yet holds many different bytes
        assertThat(deflated(page)).isLessThan(GuestMemory.PAGE_SIZE / 2).isGreaterThan(GuestMemory.PAGE_SIZE / 20);
        assertThat(new String(page, java.nio.charset.StandardCharsets.US_ASCII).chars().distinct().count()).isGreaterThan(15);
    }

    @Test
    void a_mix_that_does_not_sum_to_one_or_names_an_unknown_kind_is_rejected_naming_it() {
        // given bad mixes, when parsed, then each fails naming itself and the expected form
        for (String bad : List.of("random:0.7,text:0.2", "random:0.7,text:0.2,zero:0.1,gold:0", "random:x", "random:1.2,zero:-0.2")) {
            assertThatThrownBy(() -> ContentMix.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("random:R,text:T,zero:Z");
        }
    }

    private static int deflated(byte[] page) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(page);
        deflater.finish();
        byte[] out = new byte[page.length * 2];
        int n = deflater.deflate(out);
        deflater.end();
        return n;
    }
}
