package io.ferry.bench;

import tools.jackson.databind.JsonNode;

/**
 * One run of a scenario and the figures derived from it. {@code demo} is the summary {@code ferry demo --json} printed,
 * or for QEMU alone the same fields measured by {@link QemuAlone}; null when the run produced none (then {@code error}
 * says why). Ratios that do not apply are NaN.
 */
record Run(Scenario scenario, int attempt, JsonNode demo, String error) {
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

    /**
     * From the request to the VM running on the destination: what QEMU alone's total time measures. Runs through ferry
     * report it as resumedAfterMs (their totalMs adds the network cleanup and the source's stop); QEMU alone's totalMs
     * already is it.
     */
    long resumedAfterMs() {
        long resumed = number("resumedAfterMs");
        return resumed >= 0 ? resumed : totalMs();
    }

    long downtimeMs() {
        return number("downtimeMs");
    }

    /** QEMU alone's destination start, exec to listening (not in its total); -1 for other runs. */
    long destinationStartMs() {
        return number("destinationStartMs");
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

    /** Time the bytes actually sent take on the capped link (bytes sent x 8 / bandwidth), in ms; NaN when uncapped. */
    double wireMs() {
        return scenario.capped() && bytesSent() >= 0 ? bytesSent() * 8 / (scenario.bandwidthMbps() * 1e6) * 1e3 : Double.NaN;
    }

    /** Total time (setup, allocation and switchover included) over the wire time of what was sent. */
    double totalPerWire() {
        return ratio(totalMs(), wireMs());
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

    /** The larger of the two agents' peak RSS in bytes, or -1 when the demo did not report it. */
    long maxRssBytes() {
        return Math.max(number("sourcePeakRssBytes"), number("destinationPeakRssBytes"));
    }

    /** A field of the run's JSON (QEMU alone's own figures among them), or -1 when absent. */
    long number(String field) {
        return demo == null || !demo.path(field).isNumber() ? -1 : demo.path(field).asLong();
    }

    private static double ratio(double a, double b) {
        return a < 0 || b <= 0 || Double.isNaN(b) ? Double.NaN : a / b;
    }
}
