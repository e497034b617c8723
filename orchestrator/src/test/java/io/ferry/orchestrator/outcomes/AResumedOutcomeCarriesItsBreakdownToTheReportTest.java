package io.ferry.orchestrator.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.orchestrator.core.DowntimeBreakdown;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AResumedOutcomeCarriesItsBreakdownToTheReportTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00.078Z");

    private static AgentOutcome.Builder resumed() {
        return AgentOutcome.newBuilder().setOutcomeId("o-1").setCommandId("00000000-0000-0000-0000-000000000007")
                .setMigrationId("0b6f3f0e-8f3a-4c55-9d0e-2f1f6a1c9e11").setHost("hv-02").setOccurredAt(AT)
                .setKind(OutcomeKind.RESUMED).setMemoryChecksum("abc");
    }

    @Test
    void the_breakdown_an_agent_sends_with_resumed_reaches_the_report_as_sent() {
        // given a RESUMED outcome with a breakdown (QEMU: no separate device state), as it comes off the topic
        AgentOutcome sent = resumed().setDowntimeBreakdown(io.ferry.schema.common.DowntimeBreakdown.newBuilder()
                .setTotalUs(74_000).setLastPageUs(52_000).setDigestCheckUs(3_100).setStorageHandoffUs(4_000)
                .setResumeUs(9_200).setOtherUs(5_700).setAuthorisationWaitUs(40_000L).build()).build();
        AvroCodec<AgentOutcome> codec = AvroCodec.of(AgentOutcome.class);
        AgentOutcome received = codec.decode(codec.encode(sent));

        // when it is read as the core's report
        AgentReport report = OutcomeMapper.toReport(received);

        // then the resume carries the breakdown, figure for figure
        assertThat(report).isInstanceOfSatisfying(AgentReport.Resumed.class, r -> assertThat(r.breakdown())
                .isEqualTo(new DowntimeBreakdown(74_000, 52_000, null, 3_100, 4_000, 9_200, 5_700, 40_000L)));
    }

    @Test
    void a_resumed_outcome_without_a_breakdown_is_a_resume_without_one() {
        // when a RESUMED outcome from an agent that does not measure the blackout is read
        AgentReport report = OutcomeMapper.toReport(resumed().build());

        // then it is still a resume, with no breakdown
        assertThat(report).isInstanceOfSatisfying(AgentReport.Resumed.class, r -> assertThat(r.breakdown()).isNull());
    }
}
