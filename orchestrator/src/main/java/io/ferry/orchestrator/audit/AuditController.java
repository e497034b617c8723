package io.ferry.orchestrator.audit;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.Filters;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.api.Page;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.migrations.MigrationQueries;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** REST: the event log, as one migration's history and as the audit trail across migrations. */
@ApiEndpoint
class AuditController {
    private final AuditQueries queries;

    AuditController(AuditQueries queries) {
        this.queries = queries;
    }

    /** The audit trail across migrations: who did what, when, by VM, host, outcome, actor, event type and time. */
    @GetMapping("/audit")
    Page<AuditQueries.AuditEntry> audit(@RequestParam(required = false) String vmId,
            @RequestParam(required = false) String host, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String type,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new IllegalArgumentException("page must be 0 or more and size between 1 and 1000");
        }
        if (outcome != null && !MigrationQueries.OUTCOMES.contains(outcome.toUpperCase())) {
            throw new IllegalArgumentException("outcome '" + outcome + "' is not one of " + MigrationQueries.OUTCOMES);
        }
        Filters.check("vmId", vmId, "host", host, "actor", actor, "type", type);
        return queries.audit(new AuditQueries.AuditFilter(vmId, host, outcome == null ? null : outcome.toUpperCase(),
                actor, type, from, to), page, size);
    }

    @GetMapping("/migrations/{id}/history")
    List<AuditQueries.HistoryEntry> history(@PathVariable String id) {
        List<AuditQueries.HistoryEntry> history = queries.history(MigrationId.parse(id).value());
        if (history.isEmpty()) {
            throw NotFound.migration(id);
        }
        return history;
    }
}
