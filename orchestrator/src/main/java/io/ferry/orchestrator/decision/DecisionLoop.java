package io.ferry.orchestrator.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides one input against one stream: in a transaction, mark the dedup key, load, fold, decide, append with the
 * version the decision saw, and let the reactors write their part. A racing writer makes the append fail on the
 * version check; the input is then decided again in a new transaction, which is why a caller's transaction is
 * refused: the retry would join it, and PostgreSQL has aborted it. It knows nothing of what the events mean.
 */
public final class DecisionLoop<C, E, S> {
    static final int ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(DecisionLoop.class);

    private final Decider<C, E, S> decider;
    private final EventStream<E> stream;
    private final Function<S, String> correlationOf;
    private final List<? extends Reactor<C, E, S>> reactors;
    private final ProcessedMessages processed;
    private final TransactionTemplate tx;

    /**
     * @param correlationOf the correlation id stored with every event, from the state after the decision
     * @param reactors in the order they run
     */
    public DecisionLoop(Decider<C, E, S> decider, EventStream<E> stream, Function<S, String> correlationOf,
            List<? extends Reactor<C, E, S>> reactors, ProcessedMessages processed, TransactionTemplate tx) {
        this.decider = decider;
        this.stream = stream;
        this.correlationOf = correlationOf;
        this.reactors = List.copyOf(reactors);
        this.processed = processed;
        this.tx = tx;
    }

    /** @param dedup when a message with this key was decided before, nothing is appended */
    public Decision<E, S> decide(UUID id, C input, EventMetadata meta, Optional<DedupKey> dedup) {
        return decideAll(id, List.of(new Input<>(input, meta, dedup))).getFirst();
    }

    /** One input of a batch, with what {@link #decide} takes beside it. */
    public record Input<C>(C input, EventMetadata meta, Optional<DedupKey> dedup) {}

    /**
     * Decides inputs to one stream in order, in one transaction: what {@link #decide} does for each, with one load and
     * one commit for all (messages that arrived together cost one round of the database, not one each). A racing
     * writer makes the whole batch be decided again.
     */
    public List<Decision<E, S>> decideAll(UUID id, List<Input<C>> inputs) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException("DecisionLoop owns its transactions: a retry inside a caller's "
                    + "transaction would run in an aborted one");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> {
                    List<Recorded<E>> history = new ArrayList<>(stream.load(id));
                    List<Decision<E, S>> decisions = new ArrayList<>(inputs.size());
                    for (Input<C> in : inputs) {
                        decisions.add(attempt(id, history, in.input(), in.meta(), in.dedup()));
                    }
                    return decisions;
                });
            } catch (ConcurrentAppendException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The stream's state as its log says now, read without a transaction. */
    public S current(UUID id) {
        return fold(stream.load(id));
    }

    /** @param history the stream as this transaction sees it; what is appended is added to it */
    private Decision<E, S> attempt(UUID id, List<Recorded<E>> history, C input, EventMetadata meta, Optional<DedupKey> dedup) {
        boolean duplicate = dedup.isPresent() && !processed.firstTime(dedup.get());
        S before = fold(history);
        List<E> events = duplicate ? List.of() : decider.decide(input, before);
        if (events.isEmpty()) {
            return new Decision<>(before, before, List.of(), duplicate);
        }
        S decided = before;
        for (E event : events) {
            decided = decider.evolve(decided, event, meta.recordedAt());
        }
        EventMetadata stored = meta.withCorrelationId(correlationOf.apply(decided));
        Appended<C, E, S> appended = steps(id, input, history.size(), before,
                stream.append(id, history.size(), events, stored), stored);
        history.addAll(appended.added());
        reactors.forEach(r -> r.inTransaction(appended));
        TransactionSynchronizationManager.registerSynchronization(new AfterCommit(appended));
        return new Decision<>(before, appended.after(), appended.added(), false);
    }

    private Appended<C, E, S> steps(UUID id, C input, int version, S before, List<Recorded<E>> added, EventMetadata meta) {
        List<Step<E, S>> steps = new ArrayList<>(added.size());
        S state = before;
        for (Recorded<E> recorded : added) {
            state = decider.evolve(state, recorded.event(), recorded.recordedAt());
            steps.add(new Step<>(recorded, state));
        }
        return new Appended<>(id, input, version, before, List.copyOf(steps), state, meta);
    }

    private S fold(List<Recorded<E>> history) {
        S state = decider.initial();
        for (Recorded<E> recorded : history) {
            state = decider.evolve(state, recorded.event(), recorded.recordedAt());
        }
        return state;
    }

    /** Runs the after-commit reactors; one that fails must neither undo the commit nor keep the others from running. */
    private final class AfterCommit implements TransactionSynchronization {
        private final Appended<C, E, S> appended;

        AfterCommit(Appended<C, E, S> appended) {
            this.appended = appended;
        }

        @Override
        public void afterCommit() {
            for (Reactor<C, E, S> reactor : reactors) {
                try {
                    reactor.afterCommit(appended);
                } catch (RuntimeException e) {
                    log.warn("{} failed after the commit of {} v{} (the events stand): {}",
                            reactor.getClass().getSimpleName(), appended.stream(), appended.versionAfter(), e.toString());
                }
            }
        }
    }
}
