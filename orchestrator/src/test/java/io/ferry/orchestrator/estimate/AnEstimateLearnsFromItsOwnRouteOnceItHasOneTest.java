package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link and the overheads belong to a route once it has migrations enough: an estimate from hv-01 to hv-02 then
 * reads the migrations that went that way, not those that came back faster; until then the two hosts' either way;
 * until they have some, every route's.
 */
class AnEstimateLearnsFromItsOwnRouteOnceItHasOneTest {
    // newest first: the way back streamed round 1 at ~7 Gbit/s and spent 0.5 s outside it, the way out ~1.8 Gbit/s, 0.8 s
    private static final List<Precopied> BACK_AND_FORTH = List.of(
            route(1_400, 600, 6_200, "hv-02", "hv-01"), route(2_250, 1_400, 1_850, "hv-01", "hv-02"),
            route(1_300, 550, 7_100, "hv-02", "hv-01"), route(2_300, 1_450, 1_630, "hv-01", "hv-02"),
            route(1_350, 600, 7_700, "hv-02", "hv-01"), route(2_350, 1_500, 1_700, "hv-01", "hv-02"),
            route(1_300, 550, 7_000, "hv-02", "hv-01"), route(4_000, 2_300, 1_090, "hv-01", "hv-02"));

    @Test
    void the_way_out_is_estimated_from_the_migrations_that_went_out() {
        // when the history of the way out, which has four migrations of its own, is read
        EstimateHistory out = EstimateHistory.of(BACK_AND_FORTH, "hv-01", "hv-02");

        // then its link is its own round 1 (upper quartile, interpolated: 1,700 and 1,850 the two above it), its
        // overhead its own floor, and the answer names the route
        assertThat(out.link(0)).isEqualTo(1_737.5);
        assertThat(out.overheads(0).fixedMs()).isEqualTo(2_250 - 1_400 - 50);
        assertThat(out.migrations()).isEqualTo(4);
        assertThat(out.linkSource(0)).contains("from hv-01 to hv-02");
        // while every route's together would have said the link carries 6.6 Gbit/s
        assertThat(EstimateHistory.of(BACK_AND_FORTH).link(0)).isEqualTo(6_425);
    }

    @Test
    void a_route_with_fewer_than_four_reads_the_two_hosts_newest_four_either_way() {
        // given hv-01 to hv-03 with two migrations, the newest of the four between the two hosts, and another route's
        List<Precopied> history = List.of(route(1_200, 400, 9_000, "hv-02", "hv-01"),
                route(2_000, 1_000, 2_000, "hv-01", "hv-03"), route(1_900, 1_000, 2_100, "hv-03", "hv-01"),
                route(2_100, 1_000, 1_900, "hv-01", "hv-03"), route(2_200, 1_000, 2_200, "hv-03", "hv-01"),
                route(5_000, 3_000, 600, "hv-03", "hv-01"));

        // when its history is read
        EstimateHistory read = EstimateHistory.of(history, "hv-01", "hv-03");

        // then it is the four newest between hv-01 and hv-03 (not hv-02's, not the oldest, a cold start), and says so
        assertThat(read.migrations()).isEqualTo(4);
        assertThat(read.route()).isEqualTo("between hv-01 and hv-03");
        assertThat(read.link(0)).isEqualTo(2_125);
        assertThat(read.linkSource(0)).contains("between hv-01 and hv-03");
    }

    @Test
    void two_hosts_with_fewer_than_two_migrations_between_them_read_every_routes() {
        // given a route with a single migration on record
        List<Precopied> history = List.of(route(2_300, 1_450, 1_630, "hv-01", "hv-03"), route(1_400, 600, 6_200, "hv-02", "hv-01"),
                route(2_250, 1_400, 1_850, "hv-01", "hv-02"));

        // when its history is read, then it is every route's, and says so
        EstimateHistory read = EstimateHistory.of(history, "hv-01", "hv-03");
        assertThat(read.migrations()).isEqualTo(3);
        assertThat(read.route()).isEqualTo(EstimateHistory.ALL_ROUTES);
        assertThat(read.linkSource(0)).contains("on all routes");
    }

    private static Precopied route(long totalMs, long precopyMs, double round1Mbps, String source, String destination) {
        return new Precopied(totalMs, 50, precopyMs, 0, round1Mbps, round1Mbps, 0, source, destination);
    }
}
