package io.ferry.orchestrator.metrics;

import io.ferry.orchestrator.outbox.OutboxBacklog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The outbox as Prometheus sees it: ferry_outbox_backlog, ferry_outbox_oldest_unsent_age_seconds and
 * ferry_outbox_set_aside. Read from the last measurement (never a query per scrape); NaN when there is no recent
 * one, as the database does not answer. The figures are the cluster's (one shared table).
 */
@Component
class OutboxMetrics {
    OutboxMetrics(MeterRegistry registry, OutboxBacklog backlog) {
        gauge(registry, backlog, "ferry.outbox.backlog", null, "Outbox rows waiting to be sent to Kafka",
                OutboxBacklog.Sample::backlog);
        gauge(registry, backlog, "ferry.outbox.oldest.unsent.age", "seconds",
                "How long the oldest unsent outbox row has waited (0 when none waits)",
                s -> s.oldestUnsentAge().toMillis() / 1000.0);
        gauge(registry, backlog, "ferry.outbox.set.aside", null,
                "Outbox rows set aside because Kafka can never accept them (too large, invalid topic, ...)",
                OutboxBacklog.Sample::setAside);
    }

    private static void gauge(MeterRegistry registry, OutboxBacklog backlog, String name, String unit, String description,
            ToDoubleFunction<OutboxBacklog.Sample> figure) {
        Gauge.builder(name, backlog, b -> b.current().map(figure::applyAsDouble).orElse(Double.NaN))
                .baseUnit(unit).description(description).register(registry);
    }
}
