package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.submit.RejectedRequestException.Reason;
import io.ferry.orchestrator.support.Untrusted;
import io.ferry.schema.request.MigrationRequest;
import org.apache.avro.Schema;

/**
 * The one rule every string of a MigrationRequest meets, whichever channel brought it (topic Avro, topic JSON, REST):
 * at most {@value #MAX_LENGTH} characters, and no control characters. Checked before anything else reads the
 * request, so no later message, log line or database row carries such a value.
 */
final class RequestStrings {
    /** Longest id or name a request may carry (requestId, vmId, hosts, requestedBy); the id formats are narrower still. */
    static final int MAX_LENGTH = 128;

    private RequestStrings() {}

    static void check(MigrationRequest request) {
        for (Schema.Field field : MigrationRequest.getClassSchema().getFields()) {
            if (request.get(field.pos()) instanceof CharSequence value) {
                check(field.name(), value.toString());
            }
        }
    }

    private static void check(String field, String value) {
        if (value.length() > MAX_LENGTH) {
            throw new RejectedRequestException(Reason.INVALID_REQUEST, field, "field '" + field + "' is " + value.length()
                    + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        Untrusted.firstUnsafe(value).ifPresent(at -> {
            throw new RejectedRequestException(Reason.INVALID_REQUEST, field, "field '" + field + "' holds the control "
                    + "character " + Untrusted.codePoint(value.charAt(at)) + " at position " + at + " (\""
                    + Untrusted.forLog(value) + "\"); ids and names take printable characters only");
        });
    }
}
