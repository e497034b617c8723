package io.ferry.orchestrator.migrations;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.Filters;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.api.Page;
import io.ferry.orchestrator.core.Ids.MigrationId;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** REST: the migrations, as a filtered list and one by one. */
@ApiEndpoint
class MigrationsController {
    private final MigrationQueries queries;

    MigrationsController(MigrationQueries queries) {
        this.queries = queries;
    }

    /** Newest first. {@code host} matches source or destination; {@code outcome} is a terminal state. */
    @GetMapping("/migrations")
    Page<MigrationQueries.MigrationView> list(@RequestParam(required = false) String vmId,
            @RequestParam(required = false) String host, @RequestParam(required = false) String state,
            @RequestParam(required = false) String outcome, @RequestParam(required = false) String requestId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (outcome != null && !MigrationQueries.OUTCOMES.contains(outcome.toUpperCase())) {
            throw new IllegalArgumentException("outcome '" + outcome + "' is not one of " + MigrationQueries.OUTCOMES);
        }
        if (state != null && !MigrationQueries.STATES.contains(state.toUpperCase())) {
            throw new IllegalArgumentException("state '" + state + "' is not one of " + MigrationQueries.STATES);
        }
        if (page < 0 || size < 1 || size > 500) {
            throw new IllegalArgumentException("page must be 0 or more and size between 1 and 500, got page " + page
                    + " and size " + size);
        }
        Filters.check("vmId", vmId, "host", host, "requestId", requestId);
        return queries.list(new MigrationQueries.Filter(vmId, host, state == null ? null : state.toUpperCase(),
                outcome == null ? null : outcome.toUpperCase(), requestId, from, to), page, size);
    }

    @GetMapping("/migrations/{id}")
    MigrationQueries.MigrationView one(@PathVariable String id) {
        return queries.one(MigrationId.parse(id).value()).orElseThrow(() -> NotFound.migration(id));
    }
}
