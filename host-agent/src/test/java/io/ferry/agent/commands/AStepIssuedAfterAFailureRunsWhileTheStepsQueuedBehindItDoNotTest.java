package io.ferry.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.agent.OutcomeKind;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed step cancels the steps of its migration queued behind it (a source must not release its disk after its
 * final copy failed), but not a step that arrives after the failure: that is the orchestrator's retry of a stage-6
 * step, and it must run.
 */
class AStepIssuedAfterAFailureRunsWhileTheStepsQueuedBehindItDoNotTest {
    private final LinkedBlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstMayFail = new CountDownLatch(1);

    /** Records what it was asked to report, for the then-part; nothing goes to a broker. */
    private final Outcomes recorded = new Outcomes(null, null, Clock.systemUTC()) {
        @Override
        public void report(StageCommand command, OutcomeKind kind, Consumer<AgentOutcome.Builder> details) {
            outcomes.add(command.getCommandId() + ":" + kind);
        }
    };

    /** Fails its first command once the test lets it, succeeds every later one. */
    private final StageHandler stopSource = new StageHandler() {
        @Override
        public Set<StageAction> actions() {
            return Set.of(StageAction.STOP_SOURCE, StageAction.ANNOUNCE_NETWORK);
        }

        @Override
        public void handle(StageCommand command, Outcomes out) {
            ran.add(command.getCommandId());
            if (command.getCommandId().equals("first")) {
                try {
                    firstMayFail.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new HypervisorException(FailureReason.MEMORY_MISMATCH, "3 pages differ");
            }
            out.report(command, OutcomeKind.SOURCE_STOPPED);
        }
    };

    private final CommandDispatcher dispatcher = new CommandDispatcher(List.of(stopSource), recorded);

    private static StageCommand command(String id, StageAction action) {
        return StageCommand.newBuilder().setCommandId(id).setMigrationId("m-1").setRequestId("r-1").setCausationId("e-1")
                .setIssuedAt(Instant.now()).setTargetHost("hv-01").setAction(action).setVmId("SERVER2")
                .setSourceHost("hv-01").setDestinationHost("hv-02").build();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
    }

    @Test
    void the_retry_runs_and_the_step_queued_behind_the_failure_does_not() throws InterruptedException {
        // given a step running and one queued behind it on the same migration's lane
        dispatcher.dispatch(command("first", StageAction.STOP_SOURCE));
        dispatcher.dispatch(command("queued", StageAction.ANNOUNCE_NETWORK));

        // when the running step fails, and a retry is issued after its failure was reported
        firstMayFail.countDown();
        assertThat(outcomes.poll(30, TimeUnit.SECONDS)).isEqualTo("first:" + OutcomeKind.FAILED);
        dispatcher.dispatch(command("retry", StageAction.STOP_SOURCE));

        // then the retry runs and reports, and the queued step never ran
        assertThat(outcomes.poll(30, TimeUnit.SECONDS)).isEqualTo("retry:" + OutcomeKind.SOURCE_STOPPED);
        assertThat(ran).containsExactly("first", "retry");
    }
}
