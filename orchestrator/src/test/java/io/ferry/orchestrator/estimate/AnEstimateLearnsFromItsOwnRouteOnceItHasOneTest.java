package io.ferry.orchestrator.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link and the overheads belong to a route: an estimate from hv-01 to hv-02 reads the migrations that went that
 * way, not those that came back faster, and reads every route's until its own has enough.
 */
class AnEstimateLearnsFromItsOwnRouteOnceItHasOneTest {
    // newest first: the way back streamed round 1 at ~7 Gbit/s and spent 0.5 s outside it, the way out ~1.8 Gbit/s, 0.8 s
    private static final List<Precopied> BACK_AND_FORTH = List.of(
            route(1_400, 600, 6_200, "hv-02", "hv-01"), route(2_250, 1_400, 1_850, "hv-01", "hv-02"),
            route(1_300, 550, 7_100, "hv-02", "hv-01"), route(2_300, 1_450, 1_630, "hv-01", "hv-02"),
            route(1_350, 600, 7_700, "hv-02", "hv-01"), route(4_000, 2_300, 1_090, "hv-01", "hv-02"));

    @Test
    void the_way_out_is_estimated_from_the_migrations_that_went_out() {
        // when the history of the way out is read
        EstimateHistory out = EstimateHistory.of(BACK_AND_FORTH, "hv-01", "hv-02");

        // then its link is its own round 1 (upper quartile: between its two warm ones), its overhead its own floor, and
        // the answer names the route
        assertThat(out.link(0)).isEqualTo(1_740);
        assertThat(out.overheads(0).fixedMs()).isEqualTo(2_250 - 1_400 - 50);
        assertThat(out.migrations()).isEqualTo(3);
        assertThat(out.linkSource(0)).contains("from hv-01 to hv-02");
        // while every route's together would have said the link carries 6.9 Gbit/s
        assertThat(EstimateHistory.of(BACK_AND_FORTH).link(0)).isEqualTo(6_875);
    }

    @Test
    void a_route_with_fewer_migrations_than_the_minimum_reads_every_routes() {
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
