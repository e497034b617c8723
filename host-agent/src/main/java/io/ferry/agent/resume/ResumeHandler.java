package io.ferry.agent.resume;

import io.ferry.agent.commands.Outcomes;
import io.ferry.agent.commands.StageHandler;
import io.ferry.agent.switchover.Arrivals;
import io.ferry.agent.switchover.Arrivals.Arrived;
import io.ferry.agent.switchover.Breakdown;
import io.ferry.schema.common.DowntimeBreakdown;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.time.Duration;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Stage 5 on the destination: reports the guest running from exactly the memory and state the source had at pause.
 * The destination resumes it by itself as soon as the source hands the disk over ({@link Arrivals}); this command,
 * issued with the final copy, may arrive before or after that.
 */
@Component
public class ResumeHandler implements StageHandler {
    /** The source may first have to bring the guest under the downtime limit, then send the tail. */
    static final Duration RESUME_TIMEOUT = Duration.ofMinutes(2);
    private final Arrivals arrivals;

    public ResumeHandler(Arrivals arrivals) {
        this.arrivals = arrivals;
    }

    @Override
    public Set<StageAction> actions() {
        return Set.of(StageAction.RESUME);
    }

    @Override
    public void handle(StageCommand command, Outcomes outcomes) {
        Arrived arrived = arrivals.awaitResumed(command.getMigrationId(), RESUME_TIMEOUT);
        outcomes.report(command, OutcomeKind.RESUMED, b -> b.setMemoryChecksum(arrived.result().memoryChecksum())
                .setPausedAt(arrived.pausedAt()).setOccurredAt(arrived.result().resumedAt())
                .setDowntimeBreakdown(wire(arrived.breakdown())));
    }

    private static DowntimeBreakdown wire(Breakdown b) {
        return new DowntimeBreakdown(b.totalUs(), b.lastPageUs(), b.deviceStateUs(), b.digestCheckUs(), b.storageHandoffUs(),
                b.resumeUs(), b.otherUs(), b.authorisationWaitUs());
    }
}
