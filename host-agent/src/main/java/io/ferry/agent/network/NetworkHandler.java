package io.ferry.agent.network;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.agent.heartbeat.HeartbeatPublisher;
import io.ferry.agent.storage.StorageLeaseException;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Stage 6: the destination announces the VM's MAC (QEMU's announce-self) and makes the switch re-learn it on its
 * port; the source drops its copy once the destination runs the guest.
 */
@Component
public class NetworkHandler implements StageHandler {
    /** As long as the destination may wait for the handoff and resume (see ResumeHandler). */
    static final Duration RESUMED_TIMEOUT = Duration.ofMinutes(2);
    private final SimulatedSwitch networkSwitch;
    private final Hypervisor hypervisor;
    private final AgentProperties properties;
    private final HeartbeatPublisher heartbeats;
    private final StorageLeases leases;

    public NetworkHandler(SimulatedSwitch networkSwitch, Hypervisor hypervisor, AgentProperties properties,
            HeartbeatPublisher heartbeats, StorageLeases leases) {
        this.leases = leases;
        this.networkSwitch = networkSwitch;
        this.hypervisor = hypervisor;
        this.properties = properties;
        this.heartbeats = heartbeats;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.ANNOUNCE_NETWORK, StageAction.STOP_SOURCE);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        if (command.getAction() == StageAction.ANNOUNCE_NETWORK) {
            String mac = Tickets.spec(command).macAddress();
            hypervisor.announce(Tickets.of(command));
            networkSwitch.announce(mac, properties.host());
            // The inventory learns where the VM runs now, before the migration completes, instead of at the next
            // beat: an operator may migrate it on (or back) the moment it is COMPLETED.
            heartbeats.beat();
            outcomes.report(command, OutcomeKind.NETWORK_ANNOUNCED, b -> b.setDetail(mac));
        } else {
            // Issued with the switchover: the paused copy goes only once the destination runs the guest, which it
            // records on the disk's lease right after its resume.
            try {
                leases.awaitResumed(Disks.of(Tickets.spec(command).diskPath()), command.getMigrationId(), RESUMED_TIMEOUT);
            } catch (StorageLeaseException e) {
                throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, e.getMessage(), e);
            }
            hypervisor.discardSource(Tickets.of(command));
            heartbeats.beat();
            outcomes.report(command, OutcomeKind.SOURCE_STOPPED);
        }
    }
}
