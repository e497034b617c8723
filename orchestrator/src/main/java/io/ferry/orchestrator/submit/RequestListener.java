package io.ferry.orchestrator.submit;

import io.ferry.orchestrator.Topics;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.SchemaMismatchException;
import io.ferry.schema.request.MigrationRequest;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Consumes ferry.migration-requests. A bad record is recorded as a rejection and never stops the consumer. */
@Component
class RequestListener {
    private static final Logger log = LoggerFactory.getLogger(RequestListener.class);
    private final AvroCodec<MigrationRequest> codec = AvroCodec.of(MigrationRequest.class);
    private final SubmissionService submissions;
    private final Rejections rejections;
    private final Clock clock;

    RequestListener(SubmissionService submissions, Rejections rejections, Clock clock) {
        this.submissions = submissions;
        this.rejections = rejections;
        this.clock = clock;
    }

    @KafkaListener(id = "migration-requests", topics = Topics.REQUESTS, groupId = "ferry-orchestrator")
    void onRequest(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        MigrationRequest request;
        try {
            request = codec.decode(record.value());
        } catch (SchemaMismatchException e) {
            log.warn("rejected unreadable request at {}: {}", where, e.getMessage());
            rejections.record(record.key(), null, Channel.TOPIC.name(),
                    new RejectedRequestException(RejectedRequestException.Reason.MALFORMED, e.getMessage()), clock.instant(),
                    where);
            return;
        }
        try {
            var id = submissions.submit(request, Channel.TOPIC, where);
            log.info("request {} for VM {} -> migration {}", request.getRequestId(), request.getVmId(), id);
        } catch (RejectedRequestException e) {
            log.warn("rejected request {} at {}: {} ({})", request.getRequestId(), where, e.getMessage(), e.reason());
        }
    }
}
