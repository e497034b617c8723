package io.ferry.hypervisor.qemu;

import tools.jackson.databind.JsonNode;

/**
 * What QEMU's {@code query-migrate} says at one moment, on the source: the status and the {@code ram} figures. Fields
 * QEMU leaves out (e.g. {@code downtime} before completion, {@code expected-downtime} outside {@code active}) are -1.
 *
 * @param dirtySyncCount how many times QEMU synchronised the dirty bitmap: pass N of the copy begins with sync N
 * @param remainingBytes what is still dirty and unsent
 * @param dirtyPagesRate pages dirtied per second, sampled about once a second (0 before the first sample)
 * @param normalPages pages sent with their content; {@code duplicatePages} are the all-zero pages sent as a marker
 */
public record QueryMigrate(String status, long totalTimeMs, long setupTimeMs, long downtimeMs, long expectedDowntimeMs,
        long transferredBytes, long remainingBytes, long totalBytes, long duplicatePages, long normalPages, long normalBytes,
        long dirtyPagesRate, double mbps, long dirtySyncCount, long pageSize, int cpuThrottlePercent, String errorDesc) {

    /** Before {@code migrate}: nothing sent yet. */
    public static final QueryMigrate NONE = new QueryMigrate("none", 0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4096, 0, null);

    public static QueryMigrate of(JsonNode reply) {
        JsonNode ram = reply.path("ram");
        return new QueryMigrate(reply.path("status").asString("none"), reply.path("total-time").asLong(0),
                reply.path("setup-time").asLong(0), reply.path("downtime").asLong(-1),
                reply.path("expected-downtime").asLong(-1), ram.path("transferred").asLong(0), ram.path("remaining").asLong(0),
                ram.path("total").asLong(0), ram.path("duplicate").asLong(0), ram.path("normal").asLong(0),
                ram.path("normal-bytes").asLong(0), ram.path("dirty-pages-rate").asLong(0), ram.path("mbps").asDouble(0),
                ram.path("dirty-sync-count").asLong(0), ram.path("page-size").asLong(4096),
                reply.path("cpu-throttle-percentage").asInt(0),
                reply.has("error-desc") ? reply.path("error-desc").asString() : null);
    }

    public boolean finished() {
        return switch (status) {
            case "completed", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    /** Pages sent so far, with content or as zero markers. */
    public long pagesSent() {
        return normalPages + duplicatePages;
    }

    public long remainingPages() {
        return remainingBytes / pageSize;
    }
}
