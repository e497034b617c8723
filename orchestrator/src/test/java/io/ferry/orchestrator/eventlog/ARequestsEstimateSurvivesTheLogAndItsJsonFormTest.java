package io.ferry.orchestrator.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.Forecast;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRequested;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.VmSpec;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ARequestsEstimateSurvivesTheLogAndItsJsonFormTest {
    private static final Instant AT = Instant.parse("2026-11-30T01:00:00.078Z");
    private final EventCodec codec = new EventCodec();

    static Stream<MigrationRequested> requests() {
        VmSpec vm = new VmSpec(new VmId("SERVER2"), 1024, 2, "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of("avx2"));
        return Stream.of(
                new MigrationRequested(new RequestId("r-1"), vm, new HostId("hv-01"), new HostId("hv-02"), Policy.defaults(),
                        "alice", Channel.REST, AT, null, null, new Forecast(true, 3, 5_400, 4_700, 40, 0, 1000.0,
                        "after 3 rounds 900 pages are left", AT.minusSeconds(4), null, null, null, 3.8e6)),
                new MigrationRequested(new RequestId("r-2"), vm, new HostId("hv-01"), new HostId("hv-02"), Policy.defaults(),
                        "alice", Channel.REST, AT, null, null, new Forecast(false, 10, 12_400, 11_800, 0, 0, 1000.0,
                        "the round limit (10) is reached", null, 2_900, 60, 2_100L, null)),
                new MigrationRequested(new RequestId("r-3"), vm, new HostId("hv-01"), new HostId("hv-02"), Policy.defaults(),
                        "alice", Channel.REST, AT));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void a_request_reads_back_equal_with_its_estimate_from_the_log_and_from_its_json(MigrationRequested requested) {
        // when the request is written to the log (bytes) and to its JSON form (history, export), and read back
        MigrationEvent fromBytes = codec.decode(codec.type(requested), codec.encode(requested));
        MigrationEvent fromJson = codec.fromJson(codec.type(requested), codec.json(requested));

        // then both are the same request, estimate and all (none in a request without one)
        assertThat(fromBytes).isEqualTo(requested);
        assertThat(fromJson).isEqualTo(requested);
    }
}
