package io.ferry.cli;

import io.ferry.cli.output.Downtime;
import tools.jackson.databind.JsonNode;

/** One line per recorded event, saying which stage it belongs to and what happened. */
public final class Narration {
    private Narration() {}

    public static String describe(JsonNode entry) {
        JsonNode p = entry.path("payload");
        return switch (entry.path("type").asString()) {
            case "MigrationRequested" -> "requested      " + p.path("vmId").asString() + " " + p.path("sourceHost").asString()
                    + " -> " + p.path("destinationHost").asString() + " by " + p.path("requestedBy").asString()
                    + " via " + p.path("channel").asString() + estimated(p.path("estimate"));
            case "StageCommandIssued" -> "  command      " + p.path("action").asString() + " -> " + p.path("targetHost").asString();
            case "SkeletonCreated" -> "1 setup        skeleton VM with memory allocated on " + p.path("host").asString()
                    + ", data port " + p.path("dataAddress").asString();
            case "SourceConnected" -> "1 setup        " + p.path("host").asString() + " connected over TCP and sent the configuration";
            case "PrecopyRoundCompleted" -> {
                JsonNode r = p.path("progress");
                long raw = r.path("uncompressedBytes").asLong();
                long wire = r.path("bytesSent").asLong();
                int throttle = r.path("throttlePercent").asInt();
                yield String.format("2 pre-copy     round %d: %,d pages (%,d zero), %.1f MiB at %.0f Mbit/s, %,d dirty, "
                        + "expected downtime %d ms%s%s", r.path("round").asInt(), r.path("pagesSent").asLong(),
                        r.path("zeroPages").asLong(), wire / 1048576.0, r.path("throughputMbps").asDouble(),
                        r.path("dirtyPagesRemaining").asLong(), r.path("expectedDowntimeMs").asLong(),
                        raw > wire ? String.format(", compressed %.0f%%", 100.0 * (raw - wire) / raw) : "",
                        throttle > 0 ? ", guest throttled " + throttle + "%" : "");
            }
            case "PrecopyConverged" -> "2 pre-copy     converged after " + p.path("rounds").asInt() + " rounds, "
                    + p.path("dirtyPagesRemaining").asLong() + " pages left";
            case "FinalCopyCompleted" -> String.format("3 final copy   VM paused; %,d pages (counted from convergence) + register/device state sent",
                    p.path("pagesSent").asLong());
            case "StorageReleased" -> "4 storage      " + p.path("host").asString() + " released the disk (epoch "
                    + p.path("epoch").asLong() + ")";
            case "StorageAcquired" -> "4 storage      " + p.path("host").asString() + " acquired the disk (epoch "
                    + p.path("epoch").asLong() + ")";
            case "VmResumed" -> {
                String breakdown = Downtime.line(p.get("downtimeBreakdown"));
                yield "5 resume       running on " + p.path("host").asString() + ", memory verified, downtime "
                        + (breakdown != null ? breakdown : p.path("downtimeMs").asLong() + " ms");
            }
            case "NetworkAnnounced" -> "6 network      switch re-learned " + p.path("macAddress").asString() + " on "
                    + p.path("host").asString();
            case "SourceStopped" -> "6 network      source copy on " + p.path("host").asString() + " discarded";
            case "MigrationCompleted" -> "completed      in " + p.path("totalMs").asLong() + " ms";
            case "MigrationFailed" -> "FAILED         in " + p.path("stage").asString() + ": " + p.path("reason").asString()
                    + " - " + p.path("detail").asString();
            default -> entry.path("type").asString();
        };
    }

    /** The estimate a request recorded (Avro's JSON wraps the union's branch in its type name), or "". */
    private static String estimated(JsonNode estimate) {
        String only = estimate.isObject() && estimate.size() == 1 ? estimate.propertyNames().iterator().next() : "";
        JsonNode e = only.endsWith("MigrationEstimate") ? estimate.path(only) : estimate;
        return e.isObject() && e.has("converges") ? "; estimated: " + io.ferry.cli.output.EstimateText.verdict(e) : "";
    }
}
