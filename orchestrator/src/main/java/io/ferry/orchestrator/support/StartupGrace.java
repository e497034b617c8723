package io.ferry.orchestrator.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The first liveness timeout after a loop started: the heartbeats that came while no orchestrator ran are still
 * being read, so every host looks silent. A host's silence judged now is this instance's, not the host's: the
 * watchdog judges no host unreachable, and a drain neither fails a move nor rules out a host for it.
 */
public final class StartupGrace {
    private final Clock clock;
    private final Instant startedAt;
    private final Duration liveness;

    private StartupGrace(Clock clock, Duration liveness) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.liveness = liveness;
    }

    /** Starts now. */
    public static StartupGrace startingNow(Clock clock, Duration liveness) {
        return new StartupGrace(clock, liveness);
    }

    public boolean settling() {
        return Duration.between(startedAt, clock.instant()).compareTo(liveness) < 0;
    }
}
