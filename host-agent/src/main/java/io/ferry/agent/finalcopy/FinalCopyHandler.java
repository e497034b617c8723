package io.ferry.agent.finalcopy;

import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.agent.hypervisor.Hypervisor;
import io.ferry.agent.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Stage 3 on the source: pause the guest, send the remaining dirty pages and the register/device state. */
@Component
public class FinalCopyHandler implements StageHandler {
    private final Hypervisor hypervisor;

    public FinalCopyHandler(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.FINAL_COPY);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        FinalCopyResult result = hypervisor.finalCopy(Tickets.of(command));
        outcomes.report(command, OutcomeKind.FINAL_COPY_DONE, b -> b.setPausedAt(result.pausedAt())
                .setPagesSent(result.pagesSent()).setBytesSent(result.bytesSent())
                .setMemoryChecksum(result.memoryChecksum()));
    }
}
