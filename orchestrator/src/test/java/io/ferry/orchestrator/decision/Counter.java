package io.ferry.orchestrator.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A decision loop without a database: a stream of "+1" events kept in memory and a transaction manager that only
 * counts commits and rollbacks. Each input appends one event; the state is the number of events.
 */
final class Counter {
    final Map<UUID, List<Recorded<String>>> streams = new HashMap<>();
    final Transactions transactions = new Transactions();
    /** Runs before each append, e.g. to make a racing writer win. */
    Consumer<UUID> beforeAppend = id -> {};

    DecisionLoop<String, String, Integer> loop(List<Reactor<String, String, Integer>> reactors) {
        return new DecisionLoop<>(decider, stream, count -> "count", reactors, null,
                new TransactionTemplate(transactions));
    }

    Decision<String, Integer> add(DecisionLoop<String, String, Integer> loop, UUID id) {
        return loop.decide(id, "add", new EventMetadata("test", "cause", null, Instant.EPOCH), Optional.empty());
    }

    /** Appends an event as another writer would, outside the loop. */
    void appendElsewhere(UUID id) {
        List<Recorded<String>> events = streams.computeIfAbsent(id, k -> new ArrayList<>());
        events.add(recorded(id, events.size() + 1));
    }

    private static Recorded<String> recorded(UUID id, int version) {
        return new Recorded<>(version, UUID.randomUUID(), id, version, "Added", "+1", "{}", "cause", "count", "test",
                Instant.EPOCH);
    }

    private final Decider<String, String, Integer> decider = new Decider<>() {
        @Override
        public Integer initial() {
            return 0;
        }

        @Override
        public List<String> decide(String input, Integer state) {
            return List.of("+1");
        }

        @Override
        public Integer evolve(Integer state, String event, Instant at) {
            return state + 1;
        }
    };

    private final EventStream<String> stream = new EventStream<>() {
        @Override
        public List<Recorded<String>> load(UUID id) {
            return List.copyOf(streams.getOrDefault(id, List.of()));
        }

        @Override
        public List<Recorded<String>> append(UUID id, int expectedVersion, List<String> events, EventMetadata meta) {
            beforeAppend.accept(id);
            if (load(id).size() != expectedVersion) {
                throw new ConcurrentAppendException(id + " moved past " + expectedVersion, null);
            }
            appendElsewhere(id);
            return List.of(streams.get(id).getLast());
        }
    };

    /** Begins, commits and rolls back nothing, but runs Spring's synchronizations as a real one would. */
    static final class Transactions extends AbstractPlatformTransactionManager {
        int commits;
        int rollbacks;

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {}

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits++;
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            rollbacks++;
        }
    }
}
