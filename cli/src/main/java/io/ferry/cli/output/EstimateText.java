package io.ferry.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** An estimate as people read it: the verdict and figures, and what would make a migration that would not converge. */
public final class EstimateText {
    private EstimateText() {}

    /** "converges in 3 rounds, 5.2 s, pause 40 ms" or "does NOT converge (gives up after 10 rounds, 12.0 s)". */
    public static String verdict(JsonNode e) {
        long rounds = e.path("rounds").asLong();
        String total = Human.millis(e.path("totalMs").asLong());
        if (e.path("converges").asBoolean()) {
            int throttle = e.path("throttlePercent").asInt();
            return "converges in " + rounds + " round" + (rounds == 1 ? "" : "s") + ", " + total + ", pause "
                    + Human.millis(e.path("downtimeMs").asLong()) + (throttle > 0 ? ", throttled " + throttle + " %" : "");
        }
        return "does NOT converge (gives up after " + rounds + " round" + (rounds == 1 ? "" : "s") + ", " + total + ")";
    }

    /**
     * What would make it converge, as the remedies object (bandwidthMbps, autoConvergeThrottlePercent, maxDowntimeMs)
     * or the recorded estimate's fields (bandwidthNeededMbps, ...) say; empty when nothing would or it converges.
     */
    public static List<String> remedies(JsonNode e) {
        JsonNode r = e.path("remedies");
        Long bandwidth = number(r.isObject() ? r.path("bandwidthMbps") : e.path("bandwidthNeededMbps"));
        Long throttle = number(r.isObject() ? r.path("autoConvergeThrottlePercent") : e.path("autoConvergeThrottlePercent"));
        Long downtime = number(r.isObject() ? r.path("maxDowntimeMs") : e.path("maxDowntimeNeededMs"));
        List<String> would = new ArrayList<>();
        if (bandwidth != null) {
            would.add("--bandwidth " + bandwidth + " (a link of " + Human.mbps(bandwidth.doubleValue()) + ")");
        }
        if (throttle != null) {
            would.add("--auto-converge (it would throttle the guest to " + throttle + " %)");
        }
        if (downtime != null) {
            would.add("--max-downtime " + downtime);
        }
        return would;
    }

    /** The recorded estimate beside the actual, for status: "estimate ..., actual ...". */
    public static void besideActual(PrintWriter out, JsonNode e) {
        out.printf("%-13s %s%n", "estimate", verdict(e));
        if (e.has("actualTotalMs")) {
            String actual = e.path("actualConverged").isBoolean() && !e.path("actualConverged").asBoolean()
                    ? "did NOT converge, " + Human.millis(e.path("actualTotalMs").asLong())
                    : Human.millis(e.path("actualTotalMs").asLong()) + ", pause "
                    + Human.millis(e.path("actualDowntimeMs").asLong()) + ", " + e.path("actualRounds").asLong() + " rounds";
            String judged = e.path("verdictRight").isBoolean()
                    ? (e.path("verdictRight").asBoolean() ? "verdict right" : "verdict WRONG") : "verdict not judged";
            String error = e.path("totalErrorRatio").isNumber()
                    ? String.format(java.util.Locale.ROOT, ", total %+.0f %%", e.path("totalErrorRatio").asDouble() * 100) : "";
            out.printf("%-13s %s (%s%s)%n", "actual", actual, judged, error);
        }
        for (String would : remedies(e)) {
            out.printf("%-13s %s%n", "  would", would);
        }
    }

    private static Long number(JsonNode n) {
        return n.isNumber() ? n.asLong() : null;
    }
}
