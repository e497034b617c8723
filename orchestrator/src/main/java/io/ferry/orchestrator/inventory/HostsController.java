package io.ferry.orchestrator.inventory;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.ferry.orchestrator.placement.HostMode;
import io.ferry.orchestrator.placement.HostModes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;

/** REST: the hosts and the VMs they run, as their heartbeats last said, and whether each takes VMs. */
@ApiEndpoint
class HostsController {
    private final Inventory inventory;
    private final HostModes modes;

    HostsController(Inventory inventory, HostModes modes) {
        this.inventory = inventory;
        this.modes = modes;
    }

    /** A host as its agent reported it, and its mode: ACTIVE, DRAINING or MAINTENANCE. */
    record HostView(String host, String driver, long totalMemoryMb, long freeMemoryMb, List<String> cpuFeatures,
            Instant lastHeartbeatAt, Inventory.HostStatus status, Instant lastHeardAt, HostMode mode) {}

    @GetMapping("/hosts")
    List<HostView> hosts() {
        Map<String, HostMode> notActive = modes.notActive();
        return inventory.hosts().stream().map(h -> new HostView(h.host(), h.driver(), h.totalMemoryMb(), h.freeMemoryMb(),
                h.cpuFeatures(), h.lastHeartbeatAt(), h.status(), h.lastHeardAt(),
                notActive.getOrDefault(h.host(), HostMode.ACTIVE))).toList();
    }

    @GetMapping("/vms")
    List<Inventory.VmRow> vms() {
        return inventory.vms();
    }
}
