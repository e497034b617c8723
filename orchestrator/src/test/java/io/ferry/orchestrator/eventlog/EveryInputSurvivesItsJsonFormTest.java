package io.ferry.orchestrator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.orchestrator.core.CopyStats;
import io.ferry.orchestrator.core.DowntimeBreakdown;
import io.ferry.schema.common.FailureReason;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.VmSpec;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EveryInputSurvivesItsJsonFormTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00.123456789Z");
    private static final CommandId C = new CommandId(UUID.fromString("00000000-0000-0000-0000-000000000007"));
    private static final HostId H = new HostId("hv-02");

    static Stream<MigrationCommand> inputs() {
        return Stream.of(
                new MigrationCommand.Submit(new RequestId("r-1"), new VmSpec(new VmId("SERVER2"), 1024, 2, "00:15:5d:00:00:02",
                        "/d/SERVER2.vhdx", List.of("avx2")), new HostId("hv-01"), H,
                        new Policy(300, 100, 10, true, Policy.Compression.LZ4, 60, 120), "alice",
                        MigrationCommand.Channel.CLI, AT),
                new MigrationCommand.Submit(new RequestId("r-2"), new VmSpec(new VmId("SERVER2"), 1024, 2, "00:15:5d:00:00:02",
                        "/d/SERVER2.vhdx", List.of("avx2")), new HostId("hv-01"), H, Policy.defaults(), "alice",
                        MigrationCommand.Channel.REST, AT, null, null, new io.ferry.orchestrator.core.Forecast(false, 10, 12_400,
                        11_800, 0, 0, 1000.0, "the round limit (10) is reached", Instant.parse("2026-11-26T09:59:58.120Z"),
                        2_900, 60, 2_100L, 1.2e6)),
                new MigrationCommand.Admit(1, 4, AT),
                new MigrationCommand.Cancel("bob", AT),
                new MigrationCommand.Tick(Set.of(H), AT),
                new MigrationCommand.Tick(Set.of(), Set.of(H), AT),
                report(new AgentReport.SkeletonReady(C, H, "127.0.0.1:7001")),
                report(new AgentReport.SourceConnected(C, H)),
                report(new AgentReport.PrecopyProgress(C, H, new CopyStats(2, 10, 40_960, 1, 5, 12.5, 800.25, 3, 40, 50_000, 20))),
                report(new AgentReport.PrecopyConverged(C, H, 3, 12, 4)),
                report(new AgentReport.FinalCopyDone(C, H, AT, 12, 49_152, "abc")),
                report(new AgentReport.StorageReleased(C, H, 1)),
                report(new AgentReport.StorageAcquired(C, H, 2)),
                report(new AgentReport.Resumed(C, H, null, AT, "abc")),
                report(new AgentReport.Resumed(C, H, AT, AT, "abc", new DowntimeBreakdown(74_000, 52_000, null, 3_100,
                        4_000, 9_200, 5_700, 40_000L))),
                report(new AgentReport.NetworkAnnounced(C, H, "00:15:5d:00:00:02")),
                report(new AgentReport.SourceStopped(C, H)),
                report(new AgentReport.Aborted(C, H)),
                report(new AgentReport.Failed(C, H, FailureReason.DATA_CHANNEL_FAILED, "reset")));
    }

    private static MigrationCommand report(AgentReport report) {
        return new MigrationCommand.Report(report, AT);
    }

    @org.junit.jupiter.api.Test
    void a_tick_recorded_before_restarted_hosts_existed_reads_back_with_none() throws Exception {
        // given a tick as recorded before ticks named restarted hosts
        var json = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("{\"type\":\"Tick\",\"unreachable\":[{\"value\":\"hv-02\"}],\"at\":\"" + AT + "\"}");

        // when it is read
        MigrationCommand read = new InputCodec().fromJson(json);

        // then no host restarted
        assertThat(read).isEqualTo(new MigrationCommand.Tick(Set.of(H), Set.of(), AT));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void an_input_written_as_json_reads_back_equal(MigrationCommand input) {
        // given the codec
        InputCodec codec = new InputCodec();

        // when an input is written and read back
        MigrationCommand read = codec.fromJson(codec.toJson(input));

        // then it is the same input
        assertThat(read).isEqualTo(input);
    }
}
