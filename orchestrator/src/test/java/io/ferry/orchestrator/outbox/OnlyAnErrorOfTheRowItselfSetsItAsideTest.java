package io.ferry.orchestrator.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.outbox.SendFailure.Verdict;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaProducerException;

class OnlyAnErrorOfTheRowItselfSetsItAsideTest {

    /** As KafkaTemplate reports a failed send: its own exception around Kafka's, often inside a CompletionException. */
    private static Throwable asReported(Throwable kafkaError) {
        return new CompletionException(new KafkaProducerException(null, "Failed to send", kafkaError));
    }

    @Test
    void a_row_too_large_not_serializable_or_for_an_invalid_topic_is_set_aside() {
        // given errors that the same row will meet every time it is sent
        // when they are classified, then the row is set aside, with Kafka's reason
        SendFailure tooLarge = SendFailure.of(asReported(new RecordTooLargeException("The message is 1500000 bytes")));
        assertThat(tooLarge.verdict()).isEqualTo(Verdict.SET_ASIDE);
        assertThat(tooLarge.description()).isEqualTo("RecordTooLargeException: The message is 1500000 bytes");
        assertThat(SendFailure.of(asReported(new SerializationException("bad"))).verdict()).isEqualTo(Verdict.SET_ASIDE);
        assertThat(SendFailure.of(new InvalidTopicException("bad topic")).verdict()).isEqualTo(Verdict.SET_ASIDE);
    }

    @Test
    void a_broker_that_is_down_or_moving_is_waited_for() {
        // given transient errors (Kafka's RetriableException family)
        // when they are classified, then the row and those behind it wait
        assertThat(SendFailure.of(asReported(new TimeoutException("Expiring 1 record(s)"))).verdict()).isEqualTo(Verdict.RETRY);
        assertThat(SendFailure.of(asReported(new NotLeaderOrFollowerException("moved"))).verdict()).isEqualTo(Verdict.RETRY);
    }

    @Test
    void credentials_acls_and_a_broken_producer_are_no_fault_of_the_row() {
        // given errors that are not retriable but concern the client or the cluster, not this row
        // when they are classified, then the row waits for them to be mended rather than being dropped
        assertThat(SendFailure.of(asReported(new SaslAuthenticationException("bad password"))).verdict())
                .isEqualTo(Verdict.RETRY);
        assertThat(SendFailure.of(asReported(new TopicAuthorizationException("no ACL"))).verdict()).isEqualTo(Verdict.RETRY);
        assertThat(SendFailure.of(new KafkaException("Producer closed")).verdict()).isEqualTo(Verdict.RETRY);
        assertThat(SendFailure.of(new IllegalStateException("something else")).verdict()).isEqualTo(Verdict.RETRY);
    }
}
