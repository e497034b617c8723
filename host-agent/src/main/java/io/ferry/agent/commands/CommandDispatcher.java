package io.ferry.agent.commands;

import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.FailureReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Routes each stage command to its stage's handler. Commands of one migration run one after another on their own
 * lane, so a long pre-copy never blocks the Kafka consumer or other migrations. A command id
 * seen before is not run again.
 */
@Component
public class CommandDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final int REMEMBERED_COMMANDS = 10_000;

    private final Map<StageAction, StageHandler> handlers = new EnumMap<>(StageAction.class);
    private final Outcomes outcomes;
    // Platform threads: the switchover's steps are timing-critical (the destination polls the lease every 0.2 ms)
    // and must not wait for a carrier behind CPU-bound virtual threads on a busy host.
    private final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("stage-", 0).factory());
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Set when the agent stops: a step that fails from then on failed because of the stop, see {@link #close()}. */
    private volatile boolean stopping;
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    }));

    public CommandDispatcher(List<StageHandler> stageHandlers, Outcomes outcomes) {
        for (StageHandler handler : stageHandlers) {
            handler.actions().forEach(action -> handlers.put(action, handler));
        }
        this.outcomes = outcomes;
    }

    public void dispatch(StageCommand command) {
        if (!seen.add(command.getCommandId())) {
            log.info("command {} ({}) already handled; ignoring the redelivery", command.getCommandId(), command.getAction());
            return;
        }
        StageHandler handler = handlers.get(command.getAction());
        if (handler == null) {
            log.warn("no handler for {} (command {}): reporting it as failed", command.getAction(), command.getCommandId());
            outcomes.failed(command, FailureReason.UNKNOWN_OUTCOME, "this agent does not know the action " + command.getAction());
            return;
        }
        Lane lane = lanes.computeIfAbsent(command.getMigrationId(), id -> new Lane());
        if (command.getAction() == StageAction.ABORT) {
            // An abort must not queue behind the work it aborts: it stops the lane, then rolls back.
            lane.stop();
            threads.submit(() -> run(handler, command, () -> {}));
            return;
        }
        lane.submit(command, cancelQueued -> run(handler, command, cancelQueued));
    }

    /**
     * @param onFailure runs when the step failed, before the failure is reported: a step the orchestrator issues once it
     *     heard of the failure must not count among those queued behind it
     */
    private void run(StageHandler handler, StageCommand command, Runnable onFailure) {
        log.info("{} {} for migration {} (command {})", command.getAction(), command.getVmId(), command.getMigrationId(),
                command.getCommandId());
        try {
            handler.handle(command, outcomes);
        } catch (HypervisorException e) {
            onFailure.run();
            if (notReportedWhileStopping(command, e)) {
                return;
            }
            log.warn("{} failed for migration {}: {}", command.getAction(), command.getMigrationId(), e.getMessage());
            outcomes.failed(command, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            onFailure.run();
            if (notReportedWhileStopping(command, e)) {
                return;
            }
            log.error("{} failed unexpectedly for migration {}", command.getAction(), command.getMigrationId(), e);
            outcomes.failed(command, FailureReason.AGENT_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Runs one migration's commands in arrival order. Once a step failed, the steps queued behind it are not run: a
     * source must never release its disk after its final copy failed. A command that arrives after the failure (a
     * retry the orchestrator issued once it heard of it) runs. Once the migration was aborted, nothing more runs.
     */
    private final class Lane {
        private java.util.concurrent.CompletableFuture<Void> tail = java.util.concurrent.CompletableFuture.completedFuture(null);
        private volatile boolean stopped;
        private volatile Thread running;
        /** Guarded by this: commands submitted so far, and how many of the first of them a failure cancelled. */
        private long submitted;
        private long cancelledUpTo;

        /** @param work runs the step, given what to call when it fails (before reporting it) */
        synchronized void submit(StageCommand command, java.util.function.Consumer<Runnable> work) {
            long seq = ++submitted;
            tail = tail.thenRunAsync(() -> {
                if (stopped || cancelled(seq)) {
                    log.info("{} for migration {} not run: an earlier step failed or the migration was aborted",
                            command.getAction(), command.getMigrationId());
                    return;
                }
                running = Thread.currentThread();
                try {
                    work.accept(this::cancelQueued);
                } finally {
                    running = null;
                    Thread.interrupted(); // an abort's interrupt must not leak into the next task on this thread
                }
            }, threads).exceptionally(e -> {
                log.error("stage command lane failed", e);
                return null;
            });
        }

        private synchronized boolean cancelled(long seq) {
            return seq <= cancelledUpTo;
        }

        private synchronized void cancelQueued() {
            cancelledUpTo = submitted;
        }

        /** Stops queued steps and interrupts one that is waiting (e.g. for the storage lease). */
        void stop() {
            stopped = true;
            Thread thread = running;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        threads.shutdownNow();
    }

    /**
     * A step broken by this agent's own stop (its threads interrupted, its data channels closed) is not reported as,
     * say, DATA_CHANNEL_FAILED, which would blame the link. The agent goes away as a killed one would: the
     * orchestrator sees it restart (AGENT_RESTARTED) or stay silent (HOST_UNREACHABLE), and the guests live on.
     */
    private boolean notReportedWhileStopping(StageCommand command, RuntimeException e) {
        if (!stopping) {
            return false;
        }
        log.info("{} for migration {} ended by this agent's stop, not reported ({}); the orchestrator reconciles when the "
                + "agent is back or judges it unreachable", command.getAction(), command.getMigrationId(), e.getMessage());
        return true;
    }
}
