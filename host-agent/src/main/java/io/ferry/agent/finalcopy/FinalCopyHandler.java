package io.ferry.agent.finalcopy;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.TailTimes;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.agent.storage.Handoff;
import io.ferry.agent.storage.StorageLeaseException;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Stage 3 on the source, and its half of stage 4. The command is the switchover's authorisation, and the guest still
 * runs when it arrives: pause it, send the remaining dirty pages and the register/device state, then hand the disk's
 * lease straight to the destination, which is waiting for it ({@code switchover.Arrivals}). Nothing between the
 * pause and the destination's resume waits for the broker or the orchestrator; RELEASE_STORAGE then only reports the
 * handoff.
 */
@Component
public class FinalCopyHandler implements StageHandler {
    private final Hypervisor hypervisor;
    private final StorageLeases leases;
    private final AgentProperties properties;
    private final Clock clock;

    public FinalCopyHandler(Hypervisor hypervisor, StorageLeases leases, AgentProperties properties, Clock clock) {
        this.hypervisor = hypervisor;
        this.leases = leases;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.FINAL_COPY);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        var ticket = Tickets.of(command);
        FinalCopyResult result = hypervisor.finalCopy(ticket);
        Instant handingOver = clock.instant();
        hypervisor.releaseDisk(ticket); // throws, keeping the lease, if the hypervisor still writes the disk
        TailTimes tail = result.times();
        try {
            leases.handOver(Disks.of(Tickets.spec(command).diskPath()), properties.host(), Handoff.of(command.getMigrationId(),
                    properties.host(), command.getDestinationHost(), result.memoryChecksum(), result.pausedAt(), handingOver,
                    new Handoff.SourceTimes(tail.lastPageUs(), tail.deviceStateUs(), tail.digestUs(),
                            tail.authorisationWaitUs())));
        } catch (StorageLeaseException e) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, e.getMessage(), e);
        }
        outcomes.report(command, OutcomeKind.FINAL_COPY_DONE, b -> b.setPausedAt(result.pausedAt())
                .setPagesSent(result.pagesSent()).setBytesSent(result.bytesSent())
                .setMemoryChecksum(result.memoryChecksum()));
    }
}
