package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.migrations.MigrationQueries;
import io.ferry.schema.request.MigrationRequest;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;

/** REST: submit a migration, as the requests topic takes it. */
@ApiEndpoint
class SubmitController {
    private final MigrationQueries queries;
    private final SubmissionService submissions;
    private final RequestDecoder decoder = new RequestDecoder();

    SubmitController(MigrationQueries queries, SubmissionService submissions) {
        this.queries = queries;
        this.submissions = submissions;
    }

    /** The body's shape for the OpenAPI document; the body itself is read by the topic's JSON reader. */
    record SubmitRequest(String requestId, String vmId, String destinationHost, String sourceHost, Long maxDowntimeMs,
            Integer bandwidthMbps, Integer maxRounds, Boolean autoConverge, String compression,
            Integer progressTimeoutS, Integer completionTimeoutPerGiBS) {}

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
}
