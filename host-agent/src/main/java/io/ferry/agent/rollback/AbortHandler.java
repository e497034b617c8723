package io.ferry.agent.rollback;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.agent.switchover.Arrivals;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Rolls back this host's part of a failed migration. The destination drops the skeleton and its memory; the
 * source keeps the VM running (resuming it if the final copy had paused it) and takes its storage back.
 */
@Component
public class AbortHandler implements StageHandler {
    private final Hypervisor hypervisor;
    private final StorageLeases leases;
    private final AgentProperties properties;
    private final Arrivals arrivals;

    public AbortHandler(Hypervisor hypervisor, StorageLeases leases, AgentProperties properties, Arrivals arrivals) {
        this.hypervisor = hypervisor;
        this.leases = leases;
        this.properties = properties;
        this.arrivals = arrivals;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.ABORT);
    }

    /**
     * The order is what keeps a VM from running on two hosts: a destination whose VM already resumed refuses (and
     * keeps the disk); a source runs its paused guest again only after it holds the disk's lease again, which it
     * cannot get while the destination holds it; taking back a handoff the destination has not taken yet withdraws it,
     * so the destination's takeover then fails.
     */
    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        var ticket = Tickets.of(command);
        arrivals.abort(ticket.migrationId()); // first: an arrival that has not taken the disk never will
        hypervisor.abort(ticket);
        String disk = Disks.of(Tickets.spec(command).diskPath());
        if (properties.host().equals(command.getDestinationHost())) {
            if (properties.host().equals(leases.current(disk).owner())) {
                leases.release(disk, properties.host()); // the disk goes back to the source with the VM
            }
        } else if (properties.host().equals(command.getSourceHost())) {
            leases.acquireWhenFree(disk, properties.host(), java.time.Duration.ofSeconds(30));
            hypervisor.resumeAfterAbort(ticket);
        }
        outcomes.report(command, OutcomeKind.ABORTED);
    }
}
