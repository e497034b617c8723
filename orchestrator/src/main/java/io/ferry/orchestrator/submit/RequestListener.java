package io.ferry.orchestrator.submit;

import static io.ferry.orchestrator.support.Untrusted.forLog;

import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.schema.Topics;
import io.ferry.schema.request.MigrationRequest;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consumes ferry.migration-requests. A record that cannot become a migration (bad bytes, unknown schema, missing
 * field, unknown VM, failed pre-check) is recorded as a rejection and parked on the dead-letter topic in one
 * transaction, and the consumer moves on.
 */
@Component
class RequestListener {
    private static final Logger log = LoggerFactory.getLogger(RequestListener.class);
    private final RequestDecoder decoder = new RequestDecoder();
    private final SubmissionService submissions;
    private final Rejections rejections;
    private final DeadLetters deadLetters;
    private final TransactionTemplate tx;
    private final Clock clock;

    RequestListener(SubmissionService submissions, Rejections rejections, DeadLetters deadLetters, TransactionTemplate tx,
            Clock clock) {
        this.submissions = submissions;
        this.rejections = rejections;
        this.deadLetters = deadLetters;
        this.tx = tx;
        this.clock = clock;
    }

    @KafkaListener(id = "migration-requests", topics = Topics.REQUESTS, groupId = "ferry-orchestrator")
    void onRequest(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        MigrationRequest request = null;
        try {
            request = decoder.decode(record.value(), record.headers());
            var id = submissions.accept(request, Channel.TOPIC);
            log.info("request {} for VM {} -> migration {}", forLog(request.getRequestId()), forLog(request.getVmId()), id);
        } catch (RejectedRequestException e) {
            String requestId = request == null ? record.key() : request.getRequestId();
            String vmId = request == null ? null : request.getVmId();
            tx.executeWithoutResult(status -> {
                rejections.record(requestId, vmId, Channel.TOPIC.name(), e, clock.instant(), where);
                deadLetters.park(record, e, clock.instant());
            });
            // Only now is it parked: a failed write above is retried by the error handler and says so itself.
            log.warn("rejected request {} at {}: {} ({}); parked on {}", forLog(requestId), where, forLog(e.getMessage()),
                    e.reason(), DeadLetters.TOPIC);
        }
    }
}
