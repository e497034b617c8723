package io.ferry.hypervisor.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.hypervisor.Hypervisor.Compression;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A QEMU migration's what-if replays its passes after the first at the rate they were recorded at (QEMU's later
 * passes send only dirty pages, several times faster than round 1): played as recorded, it converges as it did.
 */
class AQemuMigrationsWhatIfReplaysItsLaterPassesAtTheirRecordedRateTest {
    // a 256 MB guest rewriting 64 MiB: round 1 sent every page in 1.45 s, round 2 the 17,000 dirty ones in 140 ms
    private static final RecordedPrecopy RECORDED = new RecordedPrecopy(65_536, List.of(
            new RecordedPrecopy.Round(1, 65_536, 160_000_000, 30_000, 17_000, 1_450, 0),
            new RecordedPrecopy.Round(2, 17_000, 69_632_000, 0, 6_000, 140, 0)));
    private static final CopyPolicy RECORDED_POLICY = new CopyPolicy(300, 0, 10, false, Compression.NONE, 30_000);

    @Test
    void played_as_recorded_it_converges_after_its_second_pass_as_it_did() {
        // the later pass ran 4.2 times as fast as round 1
        assertThat(RECORDED.laterRoundsFactor()).isCloseTo((69_632_000 / 140.0) / (160_000_000 / 1_450.0), within(1e-9));

        // when it is replayed under its own policy and under a 200 ms limit
        WhatIf whatIf = WhatIf.play(RECORDED, RECORDED_POLICY, new CopyPolicy(200, 0, 10, false, Compression.NONE, 30_000),
                Driver.QEMU, new PrecopyModel.Overheads(900, 60), 0);

        // then both converge after a short second pass
        assertThat(whatIf.asRecorded().converges()).isTrue();
        assertThat(whatIf.asRecorded().rounds()).isEqualTo(2);
        assertThat(whatIf.whatIf().converges()).isTrue();
        assertThat(whatIf.whatIf().perRound().get(1).ms()).isLessThan(200);
    }

    @Test
    void a_single_round_says_nothing_of_later_ones() {
        RecordedPrecopy one = new RecordedPrecopy(65_536, List.of(new RecordedPrecopy.Round(1, 65_536, 160_000_000, 30_000,
                100, 1_450, 0)));
        assertThat(one.laterRoundsFactor()).isEqualTo(1);
    }
}
