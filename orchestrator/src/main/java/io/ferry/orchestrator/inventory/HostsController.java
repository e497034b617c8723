package io.ferry.orchestrator.inventory;

import io.ferry.orchestrator.api.ApiEndpoint;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;

/** REST: the hosts and the VMs they run, as their heartbeats last said. */
@ApiEndpoint
class HostsController {
    private final Inventory inventory;

    HostsController(Inventory inventory) {
        this.inventory = inventory;
    }

    @GetMapping("/hosts")
    List<Inventory.HostRow> hosts() {
        return inventory.hosts();
    }

    @GetMapping("/vms")
    List<Inventory.VmRow> vms() {
        return inventory.vms();
    }
}
