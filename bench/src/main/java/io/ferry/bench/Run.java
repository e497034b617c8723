package io.ferry.bench;

import tools.jackson.databind.JsonNode;

/**
 * One {@code ferry demo --json} run of a scenario and the figures derived from it. {@code demo} is the demo's JSON,
 * or null when the run produced none (then {@code error} says why). Ratios that do not apply are NaN.
 */
record Run(Scenario scenario, int attempt, JsonNode demo, String error) {
    /** The guest touches this share of its memory at boot: the pages pre-copy round 1 has to send. */
    static final double UTILISATION = 0.6;

    static Run failed(Scenario scenario, int attempt, String error) {
        return new Run(scenario, attempt, null, error);
    }

    boolean completed() {
        return demo != null && "COMPLETED".equals(state());
    }

    String state() {
        return demo == null ? "ERROR" : demo.path("state").asString("?");
    }

    long totalMs() {
        return number("totalMs");
    }

    long downtimeMs() {
        return number("downtimeMs");
    }

    long rounds() {
        return number("rounds");
    }

    long bytesSent() {
        return number("bytesSent");
    }

    long memoryBytes() {
        return number("memoryBytes");
    }

    double sentPerMemory() {
        return ratio(bytesSent(), memoryBytes());
    }

    /** Time to push the utilised memory once through the capped link, in ms; NaN when uncapped. */
    double wireBoundMs() {
        return scenario.capped() ? UTILISATION * memoryBytes() * 8 / (scenario.bandwidthMbps() * 1e6) * 1e3 : Double.NaN;
    }

    double totalPerWireBound() {
        return ratio(totalMs(), wireBoundMs());
    }

    /** Whether the demo reported pre-copy round 1 on its own; otherwise streaming is bytesSent / totalMs, a lower bound. */
    boolean streamingFromRound1() {
        return number("precopyRound1Bytes") > 0 && number("precopyRound1Ms") > 0;
    }

    /** Page streaming throughput in bytes per second. */
    double streamingBytesPerSec() {
        return streamingFromRound1()
                ? ratio(number("precopyRound1Bytes") * 1e3, number("precopyRound1Ms"))
                : ratio(bytesSent() * 1e3, totalMs());
    }

    double streamingPerLoopback(double loopbackBytesPerSec) {
        return scenario.capped() ? Double.NaN : ratio(streamingBytesPerSec(), loopbackBytesPerSec);
    }

    double sourceRssPerMemory() {
        return ratio(number("sourcePeakRssBytes"), memoryBytes());
    }

    double destinationRssPerMemory() {
        return ratio(number("destinationPeakRssBytes"), memoryBytes());
    }

    double maxRssPerMemory() {
        return Math.max(sourceRssPerMemory(), destinationRssPerMemory());
    }

    /** A field of the demo JSON, or -1 when absent. */
    private long number(String field) {
        return demo == null || !demo.path(field).isNumber() ? -1 : demo.path(field).asLong();
    }

    private static double ratio(double a, double b) {
        return a < 0 || b <= 0 || Double.isNaN(b) ? Double.NaN : a / b;
    }
}
