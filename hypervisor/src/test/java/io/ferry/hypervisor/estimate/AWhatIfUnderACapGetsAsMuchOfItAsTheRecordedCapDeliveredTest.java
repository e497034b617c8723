package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A migration capped at 1,000 Mbit/s whose rounds reached 900: a cap is a ceiling, and this route's streams deliver 90 %
 * of it. A what-if under another cap is played at the same share of it, and no faster than the link carries uncapped.
 */
class AWhatIfUnderACapGetsAsMuchOfItAsTheRecordedCapDeliveredTest {
    private static final long PAGES = 16_384;
    private static final CopyPolicy RECORDED = new CopyPolicy(300, 1000, 10, false, Compression.NONE, 30_000);
    // one round of the whole 64 MiB at 900 Mbit/s: 16,384 x 4,104 bytes in 598 ms
    private static final RecordedPrecopy ROUNDS = new RecordedPrecopy(PAGES,
            List.of(new RecordedPrecopy.Round(1, PAGES, PAGES * 4104, 0, 100, 598, 0)));

    private static CopyPolicy capped(int mbps) {
        return new CopyPolicy(300, mbps, 10, false, Compression.NONE, 30_000);
    }

    @Test
    void a_cap_of_2000_is_played_at_1800_and_at_most_at_the_measured_link() {
        // when the what-if asks for 2,000 Mbit/s, on a route not measured uncapped and on one measured at 1,500
        WhatIf unmeasured = WhatIf.play(ROUNDS, RECORDED, capped(2000), Driver.SIMULATED, PrecopyModel.Overheads.DEFAULT, 0);
        WhatIf measured = WhatIf.play(ROUNDS, RECORDED, capped(2000), Driver.SIMULATED, PrecopyModel.Overheads.DEFAULT, 1500);

        // then it is played at 90 % of the cap, and at the measured link where that is lower
        assertThat(unmeasured.whatIf().linkMbps()).isCloseTo(1800, org.assertj.core.data.Offset.offset(5.0));
        assertThat(measured.whatIf().linkMbps()).isEqualTo(1500);
    }
}
