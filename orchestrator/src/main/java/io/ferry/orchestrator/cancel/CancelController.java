package io.ferry.orchestrator.cancel;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.migrations.MigrationQueries;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST: cancel a migration before its final copy. */
@RestController
@RequestMapping("/api")
@ApiEndpoint
@Tag(name = "migrations-controller")
class CancelController {
    private final MigrationQueries queries;
    private final CancelService cancels;

    CancelController(MigrationQueries queries, CancelService cancels) {
        this.queries = queries;
        this.cancels = cancels;
    }

    record CancelResponse(String migrationId, String state) {}

    /** 202 while the hosts roll back (CANCELLING), 200 once CANCELLED; 409 after the final copy began. */
    @PostMapping("/migrations/{id}/cancel")
    ResponseEntity<CancelResponse> cancel(@PathVariable String id, Principal user) {
        MigrationId migrationId = MigrationId.parse(id);
        if (queries.one(migrationId.value()).isEmpty()) {
            throw NotFound.migration(id);
        }
        MigrationState state = cancels.cancel(migrationId, user.getName());
        return ResponseEntity.status(state.terminal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new CancelResponse(id, state.label()));
    }
}
