package io.ferry.orchestrator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.Placement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementRulesOutEachHostWithItsReasonTest {
    private static final List<String> CPU = List.of("sse4_2", "avx", "avx2");
    private static final Placer.Rules RULES = new Placer.Rules(Duration.ofSeconds(15), 2);

    private static Candidate host(String name, boolean alive, HostMode mode, long free, long reserved, List<String> cpu,
            int incoming) {
        return new Candidate(name, alive, mode, free, reserved, cpu, incoming);
    }

    @Test
    void every_host_but_the_roomiest_eligible_one_is_ruled_out_or_outranked_and_each_reason_is_named() {
        // given one host failing each pre-check, and two that pass with different room
        List<Candidate> hosts = List.of(
                host("hv-01", true, HostMode.ACTIVE, 8000, 0, CPU, 0),           // the source
                host("hv-02", true, HostMode.DRAINING, 8000, 0, CPU, 0),
                host("hv-03", false, HostMode.ACTIVE, 8000, 0, CPU, 0),
                host("hv-04", true, HostMode.ACTIVE, 8000, 0, List.of("sse4_2"), 0),
                host("hv-05", true, HostMode.ACTIVE, 3000, 2500, CPU, 0),        // room taken by queued migrations
                host("hv-06", true, HostMode.ACTIVE, 8000, 0, CPU, 2),           // at its limit
                host("hv-07", true, HostMode.MAINTENANCE, 8000, 0, CPU, 0),
                host("hv-08", true, HostMode.ACTIVE, 4000, 0, CPU, 1),
                host("hv-09", true, HostMode.ACTIVE, 6000, 500, CPU, 0),
                host("hv-10", true, HostMode.ACTIVE, 9000, 0, CPU, 0));

        // when a 1024 MB VM using avx2 on hv-01, whose move to hv-10 failed before, is placed
        Placer.Outcome outcome = Placer.place(new Placer.Need("SERVER2", "hv-01", 1024, CPU, Set.of("hv-10")), hosts,
                RULES);

        // then the eligible host with the most memory left after the VM wins (hv-09: 6000 - 500 - 1024)
        Placement placement = outcome.placement().orElseThrow();
        assertThat(placement.chosen().value()).isEqualTo("hv-09");
        assertThat(placement.why()).contains("4476 MB").contains("2 hosts").contains("hv-08 2976 MB");
        // and every other host is ruled out with the check it failed, in host order
        assertThat(placement.ruledOut()).extracting(r -> r.host().value() + ": " + r.reason()).containsExactly(
                "hv-01: it is where SERVER2 runs now",
                "hv-02: it is DRAINING (ferry undrain hv-02 returns it)",
                "hv-03: no heartbeat in the last 15 s",
                "hv-04: it lacks CPU features [avx, avx2] that SERVER2 uses",
                "hv-05: 500 MB free after 2500 MB promised to queued migrations, SERVER2 needs 1024 MB",
                "hv-06: it already receives 2 migrations, its limit",
                "hv-07: it is MAINTENANCE (ferry undrain hv-07 returns it)",
                "hv-10: a move of SERVER2 to it already failed");
    }

    @Test
    void a_tie_in_room_goes_to_the_host_receiving_fewer_migrations_then_to_the_first_name() {
        // given three hosts with the same room, one busier
        List<Candidate> hosts = List.of(host("hv-03", true, HostMode.ACTIVE, 4000, 0, CPU, 0),
                host("hv-02", true, HostMode.ACTIVE, 4000, 0, CPU, 1), host("hv-04", true, HostMode.ACTIVE, 4000, 0, CPU, 0));

        // when placed
        var chosen = Placer.place(new Placer.Need("VM", "hv-01", 512, CPU, Set.of()), hosts, RULES).placement();

        // then the idle host first in name order wins
        assertThat(chosen).hasValueSatisfying(p -> assertThat(p.chosen().value()).isEqualTo("hv-03"));
    }

    @Test
    void when_no_host_passes_there_is_no_placement_and_the_explanation_names_every_host() {
        // given only the source and a full host
        List<Candidate> hosts = List.of(host("hv-01", true, HostMode.ACTIVE, 8000, 0, CPU, 0),
                host("hv-02", true, HostMode.ACTIVE, 100, 0, CPU, 0));

        // when placed
        Placer.Outcome outcome = Placer.place(new Placer.Need("MID", "hv-01", 128, CPU, Set.of()), hosts, RULES);

        // then
        assertThat(outcome.placement()).isEmpty();
        assertThat(outcome.explain()).isEqualTo("hv-01: it is where MID runs now; hv-02: 100 MB free, MID needs 128 MB");
    }
}
