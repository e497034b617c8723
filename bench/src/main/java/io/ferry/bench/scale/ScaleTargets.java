package io.ferry.bench.scale;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Issue 13's scale targets, each a ratio of what was measured to its limit, with a verdict. */
final class ScaleTargets {
    static final double HOP_P99_MS = 20;
    static final double APPENDS_PER_S = 5_000;
    static final double HISTORY_P99_MS = 10;
    static final long HISTORY_EVENTS = 1_000_000;
    /** The heap is flat when its floor in the run's last quarter is at most this much above the first quarter's. */
    static final double HEAP_FLOOR_RATIO = 1.25;
    static final double ORDER_RATIO = 0.80;

    private ScaleTargets() {}

    static ArrayNode judge(JsonNode scale) {
        ArrayNode out = Rest.JSON.createArrayNode();
        JsonNode d = scale.path("drain");
        if (!d.isMissingNode()) {
            target(out, "6", "stage hop p99 (outcome recorded -> command received by the agent)",
                    d.path("stageHopMs").path("p99").asDouble(Double.NaN), HOP_P99_MS, true, "ms",
                    d.path("stageHopMs").path("count").asInt() + " hops; the floor under a hop on this machine (hop probe: "
                            + "a commit, a publish, a consume, nothing decided) p99 " + d.path("hopFloorMs").path("p99")
                            .asDouble(Double.NaN) + " ms during the drain, " + scale.path("hopFloorIdleMs").path("p99")
                            .asDouble(Double.NaN) + " ms idle");
            target(out, "6", "orchestrator live heap after the drain / before (after a full GC each)",
                    d.path("orchestratorHeap").path("liveRatio").asDouble(Double.NaN), HEAP_FLOOR_RATIO, true, "x",
                    String.format(Locale.ROOT, "%.0f -> %.0f MiB; lowest sample first/last quarter %.0f/%.0f MiB",
                            d.path("orchestratorHeap").path("liveBeforeMiB").asDouble(),
                            d.path("orchestratorHeap").path("liveAfterMiB").asDouble(),
                            d.path("orchestratorHeap").path("firstQuarterFloorMiB").asDouble(),
                            d.path("orchestratorHeap").path("lastQuarterFloorMiB").asDouble()));
            ObjectNode all = out.addObject();
            boolean ok = d.path("allVerified").asBoolean(false);
            all.put("point", "6").put("name", "every migration COMPLETED, memory verified, history contiguous")
                    .put("measured", d.path("completed").asInt() + "/" + d.path("migrations").asInt() + " completed, "
                            + d.path("checksumsAgree").asInt() + " checksums, " + d.path("digestsAgree").asInt()
                            + " digests, " + d.path("contiguousHistories").asInt() + " contiguous")
                    .put("met", ok).put("verdict", ok ? "MET" : "MISSED");
        }
        JsonNode e = scale.path("eventLog");
        if (!e.isMissingNode()) {
            target(out, "6", "event appends per second, " + e.path("writers").asInt() + " concurrent writers (synthetic)",
                    e.path("appendsPerSecond").asDouble(Double.NaN), APPENDS_PER_S, false, "/s", "");
            long inLog = e.path("eventsInLog").asLong();
            target(out, "6", "one migration's history p99 with " + String.format(Locale.ROOT, "%,d", inLog)
                    + " events in the log (synthetic)", e.path("historyMs").path("p99").asDouble(Double.NaN),
                    HISTORY_P99_MS, true, "ms", inLog >= HISTORY_EVENTS ? "" : "fewer than 1M events: not judged");
        }
        for (JsonNode o : scale.path("order").path("byBandwidth")) {
            target(out, "7", "drain time, largest first / as listed, " + bandwidth(o) + " (mean of "
                    + o.path("runs").size() + " pairs)", o.path("ratio").asDouble(Double.NaN), ORDER_RATIO, true, "x",
                    o.path("largestFirstMs").asLong() + " ms vs " + o.path("asListedMs").asLong() + " ms");
        }
        return out;
    }

    private static String bandwidth(JsonNode order) {
        int mbps = order.path("bandwidthMbps").asInt();
        return mbps == 0 ? "moves uncapped" : "each move capped at " + mbps + " Mbit/s";
    }

    /** @param atMost whether the measured value must stay at or below the limit (else at or above) */
    private static void target(ArrayNode out, String point, String name, double measured, double limit, boolean atMost,
            String unit, String note) {
        ObjectNode t = out.addObject();
        boolean judged = !Double.isNaN(measured) && !note.contains("not judged");
        boolean met = judged && (atMost ? measured <= limit : measured >= limit);
        t.put("point", point).put("name", name).put("measured", measured).put("limit", limit)
                .put("unit", unit).put("ratio", measured / limit).put("met", met)
                .put("verdict", !judged ? "NOT JUDGED" : met ? "MET" : "MISSED").put("note", note);
    }

    /** The figures as a table for stdout. */
    static String table(JsonNode scale) {
        StringBuilder b = new StringBuilder();
        JsonNode p = scale.path("parameters");
        if (!scale.path("before").isMissingNode()) {
            b.append("BEFORE (orchestrator " + scale.path("before").path("orchestratorJar").asString() + "):\n");
            phase(b, scale.path("before"), p);
            b.append("\nAFTER (this checkout):\n");
        }
        phase(b, scale.path("drain"), p);
        if (!scale.path("afterOverBefore").isMissingNode()) {
            b.append("after / before: ").append(scale.path("afterOverBefore").toString()).append("\n");
        }
        rest(b, scale, p);
        return b.toString();
    }

    private static void phase(StringBuilder b, JsonNode d, JsonNode p) {
        if (!d.isMissingNode()) {
            b.append(String.format(Locale.ROOT, "scale: %d hosts drained at once, %d VMs of %d MB, %d receivers; "
                    + "max-concurrent %d%n", p.path("drainedHosts").asInt(), d.path("migrations").asInt(),
                    p.path("vmMb").asInt(), p.path("receivers").asInt(), p.path("maxConcurrent").asInt()));
            b.append(String.format(Locale.ROOT, "  drain time %.1f s, %.1f migrations/min, %.0f event appends/s observed%n",
                    d.path("drainMs").asLong() / 1e3, d.path("migrationsPerMinute").asDouble(),
                    d.path("eventAppendsPerSecond").asDouble()));
            b.append(String.format(Locale.ROOT, "  %-52s %8s %8s %8s %6s%n", "latency (ms)", "p50", "p99", "max", "n"));
            for (String[] row : new String[][] {{"queueWaitMs", "queue wait (requested -> admitted)"},
                    {"admittedToCompletedMs", "admitted -> completed"},
                    {"stageHopMs", "stage hop: outcome recorded -> command received"},
                    {"stageHopToPublishedMs", "  of which recorded -> published (outbox relay)"},
                    {"stageHopPublishedToReceivedMs", "  of which published -> received (Kafka)"},
                    {"hopFloorMs", "hop floor (probe: commit, publish, consume)"},
                    {"hopFloorCommitMs", "  of which the commit"}}) {
                line(b, row[1], d.path(row[0]));
            }
            d.path("stageHopMsByCommand").properties().forEach(e -> line(b, "  " + e.getKey(), e.getValue()));
            JsonNode h = d.path("orchestratorHeap");
            b.append(String.format(Locale.ROOT, "  orchestrator heap: live %.0f MiB before, %.0f MiB after (full GC); "
                    + "lowest sample %.0f MiB first quarter, %.0f MiB last quarter, max %.0f MiB; RSS max %.0f MiB "
                    + "(%d samples)%n", h.path("liveBeforeMiB").asDouble(), h.path("liveAfterMiB").asDouble(),
                    h.path("firstQuarterFloorMiB").asDouble(),
                    h.path("lastQuarterFloorMiB").asDouble(), h.path("maxMiB").asDouble(),
                    h.path("maxRssMiB").asDouble(), h.path("samples").asInt()));
            JsonNode u = d.path("usage");
            b.append(String.format(Locale.ROOT, "  CPU seconds over the drain's %.0f s: %s; %.0f commits/s; rows written: %s%n",
                    u.path("seconds").asDouble(), u.path("cpuSeconds").toString(), u.path("commitsPerSecond").asDouble(),
                    u.path("databaseRowsWritten").toString()));
            b.append(String.format(Locale.ROOT, "  verified: %d/%d completed, %d checksums agree, %d digests agree, "
                    + "%d contiguous histories%n", d.path("completed").asInt(), d.path("migrations").asInt(),
                    d.path("checksumsAgree").asInt(), d.path("digestsAgree").asInt(),
                    d.path("contiguousHistories").asInt()));
        }
    }

    private static void rest(StringBuilder b, JsonNode scale, JsonNode p) {
        for (JsonNode o : scale.path("order").path("byBandwidth")) {
            for (JsonNode r : o.path("runs")) {
                b.append(String.format(Locale.ROOT, "order (%s MB, %s): largest first %.1f s on %s (predicted %.1f s), as "
                        + "listed %.1f s on %s (predicted %.1f s): ratio %.2f%n", p.path("orderSizesMb").asString(), bandwidth(o),
                        r.path("largestFirst").path("drainMs").asLong() / 1e3, r.path("largestFirst").path("host").asString(),
                        r.path("largestFirst").path("predictedMs").asLong() / 1e3,
                        r.path("asListed").path("drainMs").asLong() / 1e3, r.path("asListed").path("host").asString(),
                        r.path("asListed").path("predictedMs").asLong() / 1e3, r.path("ratio").asDouble()));
            }
            b.append(String.format(Locale.ROOT, "order, %s, mean of %d pairs: largest first %.1f s, as listed %.1f s: %.0f %% "
                    + "shorter%n", bandwidth(o), o.path("runs").size(), o.path("largestFirstMs").asLong() / 1e3,
                    o.path("asListedMs").asLong() / 1e3, o.path("shorterBy").asDouble() * 100));
        }
        JsonNode e = scale.path("eventLog");
        if (!e.isMissingNode()) {
            b.append(String.format(Locale.ROOT, "event log (synthetic, %,d events): %.0f appends/s (%.0f tx/s) with %d "
                    + "writers, one insert per append; %.0f appends/s one insert per event (%.2fx)%n"
                    + "  history p50/p99 %.2f/%.2f ms idle, %.2f/%.2f ms under the writers%n",
                    e.path("eventsInLog").asLong(), e.path("appendsPerSecond").asDouble(),
                    e.path("transactionsPerSecond").asDouble(), e.path("writers").asInt(),
                    e.path("appendsPerSecondOneStatementPerEvent").asDouble(), e.path("afterOverBefore").asDouble(),
                    e.path("historyMs").path("p50").asDouble(), e.path("historyMs").path("p99").asDouble(),
                    e.path("historyUnderLoadMs").path("p50").asDouble(),
                    e.path("historyUnderLoadMs").path("p99").asDouble()));
        }
        b.append(String.format(Locale.ROOT, "%n%-4s %-80s %10s %8s %8s  %s%n", "pt", "target", "measured", "limit", "ratio",
                "verdict"));
        for (JsonNode t : scale.path("targets")) {
            if (t.path("measured").isString()) {
                b.append(String.format(Locale.ROOT, "%-4s %-80s %s  %s%n", t.path("point").asString(),
                        t.path("name").asString(), t.path("measured").asString(), t.path("verdict").asString()));
            } else {
                b.append(String.format(Locale.ROOT, "%-4s %-80s %10.2f %8.2f %8.2f  %s %s%n", t.path("point").asString(),
                        t.path("name").asString(), t.path("measured").asDouble(), t.path("limit").asDouble(),
                        t.path("ratio").asDouble(), t.path("verdict").asString(), t.path("note").asString()));
            }
        }
    }

    private static void line(StringBuilder b, String name, JsonNode p) {
        b.append(String.format(Locale.ROOT, "  %-52s %8.1f %8.1f %8.1f %6d%n", name, p.path("p50").asDouble(Double.NaN),
                p.path("p99").asDouble(Double.NaN), p.path("max").asDouble(Double.NaN), p.path("count").asInt()));
    }
}
