package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.migrations.MigrationsReadModel.Duration;
import java.util.List;

/** How long a move takes, fitted to the migrations ferry completed: a fixed part plus a part per MB of memory. */
final class MoveSpeed {
    /** With no history: 2 s of setup and switchover, and memory at 1 Gbit/s (8.4 ms per MB). */
    static final DrainPlanner.Speed ASSUMED = new DrainPlanner.Speed(2_000, 8.4,
            "no completed migration yet: assumed 2 s per move plus 1 Gbit/s");

    private MoveSpeed() {}

    static DrainPlanner.Speed fit(List<Duration> samples) {
        if (samples.isEmpty()) {
            return ASSUMED;
        }
        int n = samples.size();
        double meanX = samples.stream().mapToDouble(Duration::memoryMb).average().orElseThrow();
        double meanY = samples.stream().mapToDouble(Duration::ms).average().orElseThrow();
        double sxx = samples.stream().mapToDouble(d -> (d.memoryMb() - meanX) * (d.memoryMb() - meanX)).sum();
        double sxy = samples.stream().mapToDouble(d -> (d.memoryMb() - meanX) * (d.ms() - meanY)).sum();
        if (sxx < 1e-9) { // one size only: the time is all there is to go on
            return new DrainPlanner.Speed(meanY, 0, "the mean of the last " + n + " completed migrations ("
                    + Math.round(meanY) + " ms, all of " + Math.round(meanX) + " MB)");
        }
        double slope = Math.max(0, sxy / sxx);
        double fixed = Math.max(0, meanY - slope * meanX);
        return new DrainPlanner.Speed(fixed, slope, "fitted to the last " + n + " completed migrations: "
                + Math.round(fixed) + " ms per move plus " + String.format(java.util.Locale.ROOT, "%.2f", slope)
                + " ms per MB");
    }
}
