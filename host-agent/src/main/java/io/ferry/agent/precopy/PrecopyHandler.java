package io.ferry.agent.precopy;

import io.ferry.agent.Tickets;
import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.CopyProgress;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Stage 2 on the source: copy memory while the guest runs, reporting every round, until it converges. */
@Component
public class PrecopyHandler implements StageHandler {
    private final Hypervisor hypervisor;

    public PrecopyHandler(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.START_PRECOPY);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        PrecopyResult result = hypervisor.precopy(Tickets.of(command), Tickets.policy(command),
                round -> outcomes.report(command, OutcomeKind.PRECOPY_PROGRESS, b -> b.setProgress(progress(round))));
        outcomes.report(command, OutcomeKind.PRECOPY_CONVERGED, b -> b.setProgress(CopyProgress.newBuilder()
                .setRound(result.rounds()).setPagesSent(0).setBytesSent(0)
                .setDirtyPagesRemaining(result.dirtyPagesRemaining())
                .setExpectedDowntimeMs(result.expectedDowntimeMs()).build()));
    }

    static CopyProgress progress(RoundStats s) {
        return CopyProgress.newBuilder().setRound(s.round()).setPagesSent(s.pagesSent()).setBytesSent(s.bytesSent())
                .setZeroPages(s.zeroPages()).setDirtyPagesRemaining(s.dirtyPagesRemaining())
                .setDirtyRatePagesPerSec(s.dirtyRatePagesPerSec()).setThroughputMbps(s.throughputMbps())
                .setExpectedDowntimeMs(s.expectedDowntimeMs()).setRoundMs(s.roundMs())
                .setUncompressedBytes(s.uncompressedBytes()).setThrottlePercent(s.throttlePercent()).build();
    }
}
