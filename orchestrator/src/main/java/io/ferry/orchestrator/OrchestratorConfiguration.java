package io.ferry.orchestrator;

import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.schema.Topics;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class OrchestratorConfiguration {

    /**
     * Milliseconds, the precision of the log's Avro timestamps: an input's time then equals the time in the event it
     * produced, so the replay debugger compares like with like.
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
    }

    @Bean
    Supplier<UUID> idSupplier() {
        return UUID::randomUUID;
    }

    @Bean
    Migration migration(Supplier<UUID> ids) {
        return new Migration(ids);
    }

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    NewTopic requestsTopic() {
        return TopicBuilder.name(Topics.REQUESTS).partitions(3).replicas(1).build();
    }

    @Bean
    NewTopic outcomesTopic() {
        return TopicBuilder.name(Topics.OUTCOMES).partitions(3).replicas(1).build();
    }

    @Bean
    NewTopic heartbeatsTopic() {
        return TopicBuilder.name(Topics.HEARTBEATS).partitions(1).replicas(1).build();
    }

    @Bean
    NewTopic deadLettersTopic() {
        return TopicBuilder.name(Topics.REQUESTS_DLQ).partitions(1).replicas(1).build();
    }

    /**
     * A listener that throws (the database is down, say) retries the same record with growing pauses, without
     * limit, so no request or outcome is skipped; only records that can never succeed are logged and passed over.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(5_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.addNotRetryableExceptions(IllegalArgumentException.class, NullPointerException.class,
                ClassCastException.class, io.ferry.schema.SchemaMismatchException.class);
        return handler;
    }

    @Bean
    NewTopic eventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(3).replicas(1).build();
    }
}
