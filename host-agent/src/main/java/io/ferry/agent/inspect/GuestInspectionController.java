package io.ferry.agent.inspect;

import io.ferry.hypervisor.Hypervisor;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /inspect/vms: this host's guests, their state and a digest of their memory computed now (see
 * {@link GuestDigests}). Read-only, and off unless {@code ferry.agent.inspect.enabled=true} (the chaos soak turns it
 * on): a digest reveals nothing of the memory, but reading a large guest costs CPU, so it is not offered by default.
 */
@RestController
@ConditionalOnProperty(name = "ferry.agent.inspect.enabled", havingValue = "true")
class GuestInspectionController {
    private final GuestDigests digests;

    GuestInspectionController(Hypervisor hypervisor) {
        this.digests = new GuestDigests(hypervisor);
    }

    @GetMapping("/inspect/vms")
    List<GuestDigests.Guest> vms() {
        return digests.guests();
    }
}
