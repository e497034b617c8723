package io.ferry.cli.commands.replay;

import io.ferry.cli.output.EstimateText;
import io.ferry.cli.output.Human;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** A what-if as people read it: what happened, what the model makes of it, and what it says would have. */
final class WhatIfReport {
    private WhatIfReport() {}

    static void print(PrintWriter out, JsonNode w) {
        JsonNode actual = w.path("actual");
        String happened = actual.path("converged").isBoolean() ? (actual.path("converged").asBoolean()
                ? "converged in " + actual.path("rounds").asLong() + " rounds, " + Human.millis(actual.path("totalMs").asLong())
                + ", pause " + Human.millis(actual.path("downtimeMs").asLong())
                : "did NOT converge (" + actual.path("failureReason").asString() + ") after " + actual.path("rounds").asLong()
                + " rounds") : "ended otherwise (" + actual.path("failureReason").asString("still running") + ")";
        out.printf("%-13s %s%n", "migration", w.path("migrationId").asString() + "  (" + w.path("vmId").asString() + ")");
        out.printf("%-13s %s  under %s%n", "happened", happened, policy(actual.path("policy")));
        out.printf("%-13s %s%n", "model", EstimateText.verdict(w.path("asRecorded")) + "  (the same policy, replayed)");
        out.printf("%-13s %s  under %s%n", "what-if", EstimateText.verdict(w.path("whatIf")), policy(w.path("whatIf").path("policy")));
        out.printf("%-13s %s%n", "why", w.path("whatIf").path("why").asString());
        for (String would : EstimateText.remedies(w.path("whatIf"))) {
            out.printf("%-13s %s%n", "  would", would);
        }
        out.printf("%n%s%n", w.path("answer").asString());
        out.flush();
    }

    private static String policy(JsonNode p) {
        return "bandwidth " + (p.path("bandwidthMbps").asInt() == 0 ? "uncapped" : p.path("bandwidthMbps").asInt() + " Mbit/s")
                + ", max downtime " + p.path("maxDowntimeMs").asLong() + " ms, max rounds " + p.path("maxRounds").asInt()
                + (p.path("autoConverge").asBoolean() ? ", auto-converge" : "");
    }
}
