package io.ferry.orchestrator.api;

import io.ferry.orchestrator.cancel.CancelService;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.submit.RejectedRequestException;
import io.ferry.orchestrator.submit.RequestDecoder;
import io.ferry.orchestrator.submit.SubmissionService;
import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.request.MigrationRequest;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST: submit a migration, read migrations and their history, and the inventory. */
@RestController
@RequestMapping("/api")
class MigrationsController {
    /** As long as the longest id a request may carry. */
    private static final int MAX_FILTER_LENGTH = 128;
    private final MigrationQueries queries;
    private final SubmissionService submissions;
    private final Inventory inventory;
    private final CancelService cancels;
    private final RequestDecoder decoder = new RequestDecoder();

    MigrationsController(MigrationQueries queries, SubmissionService submissions, Inventory inventory,
            CancelService cancels) {
        this.cancels = cancels;
        this.queries = queries;
        this.submissions = submissions;
        this.inventory = inventory;
    }

    /** The body's shape for the OpenAPI document; the body itself is read by the topic's JSON reader. */
    record SubmitRequest(String requestId, String vmId, String destinationHost, String sourceHost, Long maxDowntimeMs,
            Integer bandwidthMbps, Integer maxRounds, Boolean autoConverge, String compression,
            Integer progressTimeoutS, Integer completionTimeoutPerGiBS) {}

    record CancelResponse(String migrationId, String state) {}

    /**
     * The body is read by the topic's JSON reader (one contract for both channels): unknown fields, wrong types and
     * fractions for integers are refused with the field named, and bad JSON with the parser's reason and place.
     */
    @PostMapping("/migrations")
    ResponseEntity<MigrationQueries.MigrationView> submit(@io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubmitRequest.class)))
            @RequestBody(required = false) byte[] body, Principal user,
            @RequestHeader(value = "X-Ferry-Channel", required = false) String channelHeader) {
        MigrationRequest request = decoder.decodeRest(body, user.getName());
        Channel channel = "CLI".equalsIgnoreCase(channelHeader) ? Channel.CLI : Channel.REST;
        MigrationId id = submissions.submit(request, channel, channel.name().toLowerCase());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(queries.one(id.value()).orElseThrow());
    }

    /** 202 while the hosts roll back (CANCELLING), 200 once CANCELLED; 409 after the final copy began. */
    @PostMapping("/migrations/{id}/cancel")
    ResponseEntity<CancelResponse> cancel(@PathVariable String id, Principal user) {
        MigrationId migrationId = MigrationId.parse(id);
        MigrationState state;
        try {
            state = cancels.cancel(migrationId, user.getName());
        } catch (CancelService.NoSuchMigrationException e) {
            throw new NotFound("no migration " + id + "; list them with GET /api/migrations"); // as the id was written
        }
        return ResponseEntity.status(state.terminal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new CancelResponse(id, state.label()));
    }

    /** Newest first. {@code host} matches source or destination; {@code outcome} is a terminal state. */
    @GetMapping("/migrations")
    MigrationQueries.Page<MigrationQueries.MigrationView> list(@RequestParam(required = false) String vmId,
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
        filters("vmId", vmId, "host", host, "requestId", requestId);
        return queries.list(new MigrationQueries.Filter(vmId, host, state == null ? null : state.toUpperCase(),
                outcome == null ? null : outcome.toUpperCase(), requestId, from, to), page, size);
    }

    @GetMapping("/migrations/{id}")
    MigrationQueries.MigrationView one(@PathVariable String id) {
        return queries.one(MigrationId.parse(id).value())
                .orElseThrow(() -> new NotFound("no migration " + id + "; list them with GET /api/migrations"));
    }

    /** The audit trail across migrations: who did what, when, by VM, host, outcome, actor, event type and time. */
    @GetMapping("/audit")
    MigrationQueries.Page<MigrationQueries.AuditEntry> audit(@RequestParam(required = false) String vmId,
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
        filters("vmId", vmId, "host", host, "actor", actor, "type", type);
        return queries.audit(new MigrationQueries.AuditFilter(vmId, host, outcome == null ? null : outcome.toUpperCase(),
                actor, type, from, to), page, size);
    }

    /** Requests that never became a migration, newest first. */
    @GetMapping("/rejections")
    MigrationQueries.Page<MigrationQueries.RejectionView> rejections(@RequestParam(required = false) String reason,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new IllegalArgumentException("page must be 0 or more and size between 1 and 500");
        }
        filters("reason", reason);
        return queries.rejections(reason, from, to, page, size);
    }

    @GetMapping("/migrations/{id}/history")
    List<MigrationQueries.HistoryEntry> history(@PathVariable String id) {
        List<MigrationQueries.HistoryEntry> history = queries.history(MigrationId.parse(id).value());
        if (history.isEmpty()) {
            throw new NotFound("no migration " + id + "; list them with GET /api/migrations");
        }
        return history;
    }

    @GetMapping("/hosts")
    List<Inventory.HostRow> hosts() {
        return inventory.hosts();
    }

    @GetMapping("/vms")
    List<Inventory.VmRow> vms() {
        return inventory.vms();
    }

    /**
     * Filters are untrusted strings too: PostgreSQL cannot even compare text with a NUL, so a control character in one
     * is a 400 naming the parameter, not a 500. Pairs of name and value.
     */
    private static void filters(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            String value = namesAndValues[i + 1];
            if (value == null) {
                continue;
            }
            if (value.length() > MAX_FILTER_LENGTH) {
                throw new IllegalArgumentException(name + " is " + value.length() + " characters long; at most "
                        + MAX_FILTER_LENGTH + " are accepted");
            }
            Untrusted.firstUnsafe(value).ifPresent(at -> {
                throw new IllegalArgumentException(name + " holds the control character "
                        + Untrusted.codePoint(value.charAt(at)) + " at position " + at + "; filters take printable "
                        + "characters only");
            });
        }
    }

    @ExceptionHandler(RejectedRequestException.class)
    ProblemDetail rejected(RejectedRequestException e) {
        HttpStatus status = switch (e.reason()) {
            case VM_NOT_FOUND, DESTINATION_UNKNOWN -> HttpStatus.NOT_FOUND;
            case VM_ALREADY_MIGRATING, HOST_UNREACHABLE, REQUEST_ID_CONFLICT -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle("migration request rejected");
        problem.setProperty("reason", e.reason().name());
        e.field().ifPresent(field -> problem.setProperty("field", field));
        return problem;
    }

    @ExceptionHandler(CancelService.CancelRefusedException.class)
    ProblemDetail cancelRefused(CancelService.CancelRefusedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("cancel refused");
        problem.setProperty("reason", "CANCEL_REFUSED");
        problem.setProperty("state", e.state());
        return problem;
    }

    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("not found");
        problem.setProperty("reason", "NOT_FOUND");
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("reason", "INVALID_ARGUMENT");
        return problem;
    }
}
