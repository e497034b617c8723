package io.ferry.orchestrator;

import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.eventlog.EventCodec;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class OrchestratorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
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
    NewTopic eventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(3).replicas(1).build();
    }
}
