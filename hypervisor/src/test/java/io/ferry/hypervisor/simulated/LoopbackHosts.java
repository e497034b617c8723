package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.time.Clock;
import java.util.List;

/** Simulated hosts for driver tests: 4 GiB, on loopback, with a data port picked by the system. */
final class LoopbackHosts {
    private LoopbackHosts() {}

    /** A host whose guests write to their memory as {@code workload} says. */
    static SimulatedHypervisor running(GuestWorkload workload) {
        return new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6, workload, null, null,
                "127.0.0.1", 0, "127.0.0.1"), Clock.systemUTC());
    }
}
