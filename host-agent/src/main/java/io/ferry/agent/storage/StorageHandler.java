package io.ferry.agent.storage;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.agent.storage.StorageLeases.Lease;
import io.ferry.agent.switchover.Arrivals;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Stage 4, as reported: the source handed the disk's lease over at the end of its final copy, and the destination took
 * it with a higher epoch when the guest arrived ({@link Arrivals}); a QEMU destination takes the image itself, its
 * write lock, when it resumes. These commands, issued with the final copy, report what happened. A source that did
 * not hand over for this migration (an older agent's final copy) releases here as before.
 */
@Component
public class StorageHandler implements StageHandler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StorageHandler.class);
    /** How long the destination waits for the source to finish its final copy and release the disk. */
    static final java.time.Duration HANDOFF_TIMEOUT = java.time.Duration.ofMinutes(2);
    private final StorageLeases leases;
    private final AgentProperties properties;
    private final Hypervisor hypervisor;
    private final Arrivals arrivals;

    public StorageHandler(StorageLeases leases, AgentProperties properties, Hypervisor hypervisor, Arrivals arrivals) {
        this.leases = leases;
        this.properties = properties;
        this.hypervisor = hypervisor;
        this.arrivals = arrivals;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.RELEASE_STORAGE, StageAction.ACQUIRE_STORAGE);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        String disk = Disks.of(Tickets.spec(command).diskPath());
        try {
            if (command.getAction() == StageAction.RELEASE_STORAGE) {
                var handedOver = leases.handoff(disk).filter(h -> h.migrationId().equals(command.getMigrationId())
                        && h.from().equals(properties.host()));
                if (handedOver.isPresent()) {
                    outcomes.report(command, OutcomeKind.STORAGE_RELEASED, b -> b.setStorageEpoch(handedOver.get().epoch()));
                    return;
                }
                hypervisor.releaseDisk(Tickets.of(command));
                Lease lease = leases.release(disk, properties.host());
                outcomes.report(command, OutcomeKind.STORAGE_RELEASED, b -> b.setStorageEpoch(lease.epoch()));
            } else {
                Lease lease = arrivals.awaitTakenOver(command.getMigrationId(), HANDOFF_TIMEOUT);
                log.info("took {} over with epoch {}", disk, lease.epoch());
                outcomes.report(command, OutcomeKind.STORAGE_ACQUIRED, b -> b.setStorageEpoch(lease.epoch()));
            }
        } catch (StorageLeaseException e) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, e.getMessage(), e);
        }
    }
}
