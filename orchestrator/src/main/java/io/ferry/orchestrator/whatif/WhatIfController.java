package io.ferry.orchestrator.whatif;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.api.InvalidParameter;
import io.ferry.orchestrator.api.NotFound;
import io.ferry.orchestrator.core.Ids.MigrationId;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/migrations/{id}/what-if}: would this migration have converged, when and with what pause, under
 * another policy? Body: any of {@code bandwidthMbps}, {@code maxDowntimeMs}, {@code autoConverge}, {@code maxRounds};
 * the others stay as recorded. Changes nothing.
 */
@ApiEndpoint
class WhatIfController {
    private static final Set<String> FIELDS = Set.of("bandwidthMbps", "maxDowntimeMs", "autoConverge", "maxRounds");
    private final WhatIfService whatIfs;

    WhatIfController(WhatIfService whatIfs) {
        this.whatIfs = whatIfs;
    }

    @PostMapping("/migrations/{id}/what-if")
    WhatIfView whatIf(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        WhatIfService.Ask ask = ask(body);
        return whatIfs.whatIf(MigrationId.parse(id), ask).orElseThrow(() -> NotFound.migration(id));
    }

    private static WhatIfService.Ask ask(JsonNode body) {
        if (body == null || body.isNull()) {
            return new WhatIfService.Ask(null, null, null, null);
        }
        if (!body.isObject()) {
            throw new InvalidParameter("body", "the body must be a JSON object with any of " + FIELDS);
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidParameter(name, "unknown field '" + name + "'; a what-if takes " + FIELDS);
            }
        }
        return new WhatIfService.Ask(integer(body, "bandwidthMbps"), body.hasNonNull("maxDowntimeMs")
                ? (long) integer(body, "maxDowntimeMs") : null, bool(body, "autoConverge"), integer(body, "maxRounds"));
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidParameter(field, field + " must be a whole number, got " + n);
        }
        return n.asInt();
    }

    private static Boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new InvalidParameter(field, field + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    @ExceptionHandler(WhatIfService.NoPrecopy.class)
    ProblemDetail noPrecopy(WhatIfService.NoPrecopy e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("nothing to replay");
        problem.setProperty("reason", "NO_PRECOPY");
        return problem;
    }
}
