package io.ferry.agent.inspect;

import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.simulated.GuestMemory;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.hypervisor.simulated.SimulatedVm;
import java.util.List;

/**
 * Each guest of this host with a digest read from its memory at the time of the call: CRC32C of every page, then
 * the same digest over those and the device state that the final copy computes. Not from a heartbeat nor from a
 * checksum recorded at switchover, so a soak test can tell that the memory running after a migration is the memory
 * that ran before it.
 */
public final class GuestDigests {
    private final Hypervisor hypervisor;

    public GuestDigests(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    /**
     * @param memoryDigest null when it could not be read, {@code unavailable} then says why
     */
    public record Guest(String vmId, String state, String memoryDigest, String unavailable) {}

    public List<Guest> guests() {
        return hypervisor.vms().stream().map(vm -> guest(vm.spec().vmId(), vm.state().name())).toList();
    }

    private Guest guest(String vmId, String state) {
        if (!(hypervisor instanceof SimulatedHypervisor simulated)) {
            return new Guest(vmId, state, null, "the " + hypervisor.driverName()
                    + " driver's guest memory is inside the hypervisor process; only simulated guests are digested");
        }
        try {
            SimulatedVm vm = simulated.vm(vmId);
            return new Guest(vmId, state, GuestMemory.digest(vm.memory().pageChecksums(), vm.deviceState()), null);
        } catch (RuntimeException gone) { // discarded or aborted while we read it
            return new Guest(vmId, state, null, "left this host while being read: " + gone.getMessage());
        }
    }
}
