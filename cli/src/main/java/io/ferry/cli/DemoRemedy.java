package io.ferry.cli;

import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.EstimateText;
import java.io.PrintStream;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ferry demo --remedy}: after a migration failed NOT_CONVERGING, asks its what-if which policy would have
 * converged (the bandwidth the model names, else auto-converge, else the downtime limit), what the model says of that
 * policy, and migrates again under it: the what-if's promise, tried.
 */
final class DemoRemedy {
    /** The policy a demo migration runs under; null fields take the orchestrator's defaults. */
    record Policy(Integer bandwidthMbps, Long maxDowntimeMs, boolean autoConverge) {}

    @FunctionalInterface
    interface Migrate {
        /** Migrates SERVER2 under the policy and returns the migration once it ended. */
        JsonNode under(Policy policy) throws Exception;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DemoRemedy() {}

    /**
     * Whether the migration converged, as the orchestrator judged it beside its estimate; without an estimate,
     * COMPLETED and NOT_CONVERGING say it; null when nothing does.
     */
    static Boolean converged(JsonNode migration) {
        JsonNode judged = migration.path("estimate").path("actualConverged");
        if (judged.isBoolean()) {
            return judged.asBoolean();
        }
        String state = migration.path("state").asString("");
        return "COMPLETED".equals(state) ? Boolean.TRUE
                : "NOT_CONVERGING".equals(migration.path("failureReason").asString("")) ? Boolean.FALSE : null;
    }

    /** How long the what-if may wait for a sample of the guest taken since the failed request. */
    private static final java.time.Duration FRESH_SAMPLE_WAIT = java.time.Duration.ofSeconds(30);

    /**
     * The what-if under the recorded policy. When every round left all the memory dirty, the rounds only bound the
     * guest's rate and the what-if reads it from a sample taken since the request; until the guest's host has taken one
     * (SERVER2 is sampled every few seconds once it runs alone again), what it names may fall short, so it is asked
     * again.
     */
    private static JsonNode asRecorded(FerryClient api, String path, PrintStream out) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(FRESH_SAMPLE_WAIT);
        JsonNode answer = api.post(path, "{}", Map.of());
        if (answer.path("guest").path("rateIsLowerBound").asBoolean()) {
            out.println("\nremedy: every round left all the memory dirty; waiting for a sample of the guest since then");
        }
        while (answer.path("guest").path("rateIsLowerBound").asBoolean() && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            answer = api.post(path, "{}", Map.of());
        }
        return answer.path("asRecorded");
    }

    /** The remedy tried, as the demo's summary carries it; {@code ask} null when no policy the model tries converges. */
    static ObjectNode tryIt(FerryClient api, String failedId, Policy recorded, Migrate migrate, PrintStream out)
            throws Exception {
        String path = "/api/migrations/" + failedId + "/what-if";
        JsonNode remedies = asRecorded(api, path, out).path("remedies");
        ObjectNode ask = JSON.createObjectNode();
        Policy next;
        if (remedies.path("bandwidthMbps").isNumber()) {
            ask.put("bandwidthMbps", remedies.path("bandwidthMbps").asInt());
            next = new Policy(remedies.path("bandwidthMbps").asInt(), recorded.maxDowntimeMs(), recorded.autoConverge());
        } else if (!recorded.autoConverge() && remedies.path("autoConvergeThrottlePercent").isNumber()) {
            ask.put("autoConverge", true);
            next = new Policy(recorded.bandwidthMbps(), recorded.maxDowntimeMs(), true);
        } else if (remedies.path("maxDowntimeMs").isNumber()) {
            ask.put("maxDowntimeMs", remedies.path("maxDowntimeMs").asLong());
            next = new Policy(recorded.bandwidthMbps(), remedies.path("maxDowntimeMs").asLong(), recorded.autoConverge());
        } else {
            out.println("\nremedy: the what-if names no policy under which it would have converged");
            ObjectNode none = JSON.createObjectNode();
            none.putNull("ask");
            return none;
        }
        JsonNode whatIf = api.post(path, ask.toString(), Map.of()).path("whatIf");
        out.printf("%nremedy: the what-if says %s under %s; migrating again under it%n", EstimateText.verdict(whatIf), ask);
        JsonNode again = migrate.under(next);
        ObjectNode tried = JSON.createObjectNode();
        tried.set("ask", ask);
        tried.put("whatIfConverges", whatIf.path("converges").asBoolean());
        tried.put("whatIfTotalMs", whatIf.path("totalMs").asLong());
        tried.put("whatIfDowntimeMs", whatIf.path("downtimeMs").asLong());
        tried.put("migrationId", again.path("migrationId").asString());
        tried.put("state", again.path("state").asString());
        tried.put("failureReason", again.path("failureReason").isNull() ? null : again.path("failureReason").asString());
        tried.put("totalMs", again.path("totalMs").asLong());
        tried.put("downtimeMs", again.path("downtimeMs").asLong());
        out.printf("remedy: %s in %d ms, downtime %d ms (the what-if said %s in %d ms)%n", again.path("state").asString(),
                again.path("totalMs").asLong(), again.path("downtimeMs").asLong(),
                whatIf.path("converges").asBoolean() ? "converges" : "does not converge", whatIf.path("totalMs").asLong());
        return tried;
    }
}
