package io.ferry.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import io.ferry.devstack.KafkaClusters;
import io.ferry.devstack.KafkaHandle;
import io.ferry.orchestrator.OrchestratorApplication;
import io.ferry.orchestrator.cancel.CancelService;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.MigrationAdmitted;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.orchestrator.eventlog.EventStore;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.submit.SubmissionService;
import io.ferry.schema.agent.HostHeartbeat;
import io.ferry.schema.agent.VmStatus;
import io.ferry.schema.request.MigrationRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An operator cancels a queued migration just as the admissions decide to start it: the cancel's append lands first,
 * so the admission's append meets a version conflict. The admission must be decided again, in a new transaction,
 * against the cancelled migration (and admit nothing), and the round must go on to admit the next request.
 */
class AnAdmissionThatLosesARaceToACancelIsDecidedAgainTest {
    private static KafkaHandle kafka;
    private static DatabaseHandle db;
    private static ConfigurableApplicationContext app;
    private static final ListAppender<ILoggingEvent> admissionsLog = new ListAppender<>();

    @BeforeAll
    static void start() {
        kafka = KafkaClusters.forTests();
        db = Databases.forTests();
        app = new SpringApplicationBuilder(OrchestratorApplication.class, RaceConfiguration.class).run(
                "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0", "--ferry.orchestrator.data-token-secret=race-secret",
                "--ferry.orchestrator.users=ops:ops-secret:OPERATOR");
        admissionsLog.start();
        ((Logger) LoggerFactory.getLogger(Admissions.class)).addAppender(admissionsLog);
        Inventory inventory = app.getBean(Inventory.class);
        inventory.record(host("hv-01", List.of(vm("VM-A"), vm("VM-B"))));
        inventory.record(host("hv-02", List.of()));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Admissions.class)).detachAppender(admissionsLog);
        if (app != null) {
            app.close();
        }
        kafka.close();
        db.close();
    }

    @Test
    void the_admission_is_decided_again_in_a_new_transaction_and_the_round_goes_on() throws Exception {
        RacingEventStore store = app.getBean(RacingEventStore.class);

        // when VM-A is submitted, and cancelled by a racer right before its admission is appended
        MigrationId a = submit("VM-A");
        await("the admission of VM-A to be decided twice", () -> store.admissionLoadsOf(a.value()).size() >= 2);
        // and VM-B is submitted after it
        MigrationId b = submit("VM-B");

        // then VM-B is admitted: the admissions went on
        await("VM-B to be admitted", () -> "SETUP".equals(stateOf(b)));
        // and the admission of VM-A was decided again in a transaction of its own, which saw the cancel
        List<Load> loads = store.admissionLoadsOf(a.value());
        assertThat(loads).allSatisfy(load -> assertThat(load.failure()).as("a load of the admission").isNull());
        assertThat(loads.get(0).txid()).isNotEqualTo(loads.get(1).txid());
        assertThat(stateOf(a)).isEqualTo("CANCELLED");
        assertThat(jdbc().queryForObject("select count(*) from migration_events where migration_id = ? and type = ?",
                Integer.class, a.value(), MigrationAdmitted.class.getSimpleName())).isZero();
        // and no round of admissions failed on the way
        assertThat(admissionsLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("round failed"));
    }

    private static MigrationId submit(String vm) {
        return app.getBean(SubmissionService.class).submit(MigrationRequest.newBuilder().setRequestId("race-" + vm)
                .setVmId(vm).setDestinationHost("hv-02").build(), Channel.REST, "rest");
    }

    private static String stateOf(MigrationId id) {
        return jdbc().queryForObject("select state from migrations where migration_id = ?", String.class, id.value());
    }

    private static JdbcTemplate jdbc() {
        return app.getBean(JdbcTemplate.class);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static HostHeartbeat host(String name, List<VmStatus> vms) {
        return HostHeartbeat.newBuilder().setHost(name).setSentAt(Instant.now()).setDriver("simulated")
                .setTotalMemoryMb(4096).setFreeMemoryMb(4096).setCpuFeatures(List.of()).setVms(vms).build();
    }

    private static VmStatus vm(String id) {
        return VmStatus.newBuilder().setVmId(id).setMemoryMb(64).setState("RUNNING").build();
    }

    /** A load of the event log by the admissions: in which transaction it ran, or why it could not. */
    record Load(UUID migrationId, Long txid, RuntimeException failure) {}

    /** Not scanned (no stereotype): only this test's application gets it. */
    static class RaceConfiguration {
        @Bean
        @Primary
        RacingEventStore racingEventStore(JdbcTemplate jdbc, EventCodec codec, Supplier<UUID> ids,
                ObjectProvider<CancelService> cancels) {
            return new RacingEventStore(jdbc, codec, ids, cancels);
        }
    }

    /**
     * The event log, with a racer: on the first append of an admission, an operator's cancel of that migration
     * commits first, on another thread and connection. It also notes the transaction of each load the admissions make.
     */
    static class RacingEventStore extends EventStore {
        private final JdbcTemplate jdbc;
        private final ObjectProvider<CancelService> cancels;
        private final AtomicReference<UUID> raced = new AtomicReference<>();
        private final List<Load> loads = new CopyOnWriteArrayList<>();

        RacingEventStore(JdbcTemplate jdbc, EventCodec codec, Supplier<UUID> ids, ObjectProvider<CancelService> cancels) {
            super(jdbc, codec, ids);
            this.jdbc = jdbc;
            this.cancels = cancels;
        }

        List<Load> admissionLoadsOf(UUID id) {
            return loads.stream().filter(load -> load.migrationId().equals(id)).toList();
        }

        @Override
        public List<Recorded<MigrationEvent>> load(UUID id) {
            if (Thread.currentThread().getName().equals("admissions")) {
                try {
                    loads.add(new Load(id, jdbc.queryForObject("select txid_current()", Long.class), null));
                } catch (RuntimeException e) {
                    loads.add(new Load(id, null, e));
                    throw e;
                }
            }
            return super.load(id);
        }

        @Override
        public List<Recorded<MigrationEvent>> append(UUID id, int expectedVersion, List<MigrationEvent> events,
                EventMetadata meta) {
            if (events.stream().anyMatch(MigrationAdmitted.class::isInstance) && raced.compareAndSet(null, id)) {
                CompletableFuture.runAsync(() -> cancels.getObject().cancel(new MigrationId(id), "racer")).join();
            }
            return super.append(id, expectedVersion, events, meta);
        }
    }
}
