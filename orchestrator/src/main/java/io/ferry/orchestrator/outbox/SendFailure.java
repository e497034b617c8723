package io.ferry.orchestrator.outbox;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Why a row could not be sent, and whether sending it again can help. Kafka's own hierarchy says which errors are
 * transient ({@link RetriableException}: broker down, leader moving, timeouts). Of the others, those about the client
 * or the cluster (credentials, ACLs, the producer's state, an old broker) are no fault of the row, so the row waits
 * for them to be mended; the rest (too large, not serializable, an invalid topic name, ...) are the row's own and
 * will fail the same way every time: the row is set aside so the rows behind it flow.
 */
public record SendFailure(Verdict verdict, String description) {
    public enum Verdict {
        /** Keep the row, and the rows behind it, and try again later. */
        RETRY,
        /** The row can never be sent: mark it failed and go on. */
        SET_ASIDE
    }

    public static SendFailure of(Throwable error) {
        KafkaException kafka = firstKafkaCause(error);
        String description = describe(kafka != null ? kafka : error);
        if (kafka == null || kafka instanceof RetriableException || aboutTheClientOrCluster(kafka)) {
            return new SendFailure(Verdict.RETRY, description);
        }
        return new SendFailure(Verdict.SET_ASIDE, description);
    }

    private static boolean aboutTheClientOrCluster(KafkaException e) {
        return e instanceof AuthenticationException || e instanceof AuthorizationException
                || e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException || e instanceof UnsupportedVersionException
                || e instanceof InterruptException
                // the producer itself is closed or broken (its own base class, not a subclass that names a cause)
                || e.getClass() == KafkaException.class;
    }

    /** The first Kafka error in the chain that names a cause, else a bare KafkaException, else null. */
    private static KafkaException firstKafkaCause(Throwable error) {
        Set<Throwable> seen = new HashSet<>();
        KafkaException bare = null;
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof KafkaException k) {
                if (k.getClass() != KafkaException.class) {
                    return k;
                }
                bare = bare == null ? k : bare;
            }
        }
        return bare;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
