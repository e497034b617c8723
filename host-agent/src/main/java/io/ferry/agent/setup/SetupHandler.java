package io.ferry.agent.setup;

import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.agent.switchover.Arrivals;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Stage 1. On the destination: build the skeleton VM, allocate its memory, wait on the data port and start waiting
 * for the guest's arrival ({@link Arrivals}). On the source: open the TCP connection to that port and send the VM's
 * configuration over it.
 */
@Component
public class SetupHandler implements StageHandler {
    private final Hypervisor hypervisor;
    private final SealedTokens tokens;
    private final Arrivals arrivals;

    public SetupHandler(Hypervisor hypervisor, SealedTokens tokens, Arrivals arrivals) {
        this.hypervisor = hypervisor;
        this.tokens = tokens;
        this.arrivals = arrivals;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.PREPARE_DESTINATION, StageAction.CONNECT_SOURCE);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        if (command.getAction() == StageAction.PREPARE_DESTINATION) {
            var ticket = Tickets.of(command, tokens.open(command));
            String address = hypervisor.prepareSkeleton(ticket, Tickets.spec(command));
            arrivals.expect(ticket, Tickets.spec(command)); // the rest of the destination's switchover needs no command
            outcomes.report(command, OutcomeKind.SKELETON_READY, b -> b.setDataAddress(address));
        } else {
            hypervisor.connectSource(Tickets.of(command, tokens.open(command)), command.getDataAddress());
            outcomes.report(command, OutcomeKind.SOURCE_CONNECTED);
        }
    }
}
