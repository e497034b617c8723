package io.ferry.agent.resume;

import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.agent.hypervisor.Hypervisor;
import io.ferry.agent.hypervisor.Hypervisor.ResumeResult;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Stage 5 on the destination: run the VM from exactly the memory and state the source had at pause. */
@Component
public class ResumeHandler implements StageHandler {
    private final Hypervisor hypervisor;

    public ResumeHandler(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.RESUME);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        ResumeResult result = hypervisor.resume(Tickets.of(command));
        outcomes.report(command, OutcomeKind.RESUMED, b -> b.setMemoryChecksum(result.memoryChecksum()).setPausedAt(result.pausedAt())
                .setOccurredAt(result.resumedAt()));
    }
}
