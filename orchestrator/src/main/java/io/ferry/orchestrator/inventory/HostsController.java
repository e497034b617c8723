package io.ferry.orchestrator.inventory;

import io.ferry.orchestrator.api.ApiEndpoint;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** REST: the hosts and the VMs they run, as their heartbeats last said. */
@RestController
@RequestMapping("/api")
@ApiEndpoint
@Tag(name = "migrations-controller")
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
