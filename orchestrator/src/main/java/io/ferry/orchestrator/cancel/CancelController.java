package io.ferry.orchestrator.cancel;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationState;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** REST: cancel a migration before its final copy. */
@ApiEndpoint
class CancelController {
    private final CancelService cancels;

    CancelController(CancelService cancels) {
        this.cancels = cancels;
    }

    record CancelResponse(String migrationId, String state) {}

    /** 202 while the hosts roll back (CANCELLING), 200 once CANCELLED; 409 after the final copy began. */
    @PostMapping("/migrations/{id}/cancel")
    ResponseEntity<CancelResponse> cancel(@PathVariable String id, Principal user) {
        MigrationState state;
        try {
            state = cancels.cancel(MigrationId.parse(id), user.getName());
        } catch (CancelService.NoSuchMigrationException e) {
            throw NotFound.migration(id); // as the id was written
        }
        return ResponseEntity.status(state.terminal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new CancelResponse(id, state.label()));
    }
}
