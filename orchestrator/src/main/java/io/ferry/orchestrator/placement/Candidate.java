package io.ferry.orchestrator.placement;

import java.util.List;

/**
 * A host as placement sees it.
 *
 * @param freeMemoryMb what its agent last reported free
 * @param reservedMb memory promised to migrations queued towards it, not yet taken by their skeletons
 * @param incoming migrations in flight towards it now
 */
public record Candidate(String host, boolean alive, HostMode mode, long freeMemoryMb, long reservedMb,
        List<String> cpuFeatures, int incoming) {
    public Candidate {
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    long freeAfterReservations() {
        return freeMemoryMb - reservedMb;
    }
}
