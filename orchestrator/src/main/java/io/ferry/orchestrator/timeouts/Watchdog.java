package io.ferry.orchestrator.timeouts;

import io.ferry.orchestrator.OrchestratorProperties;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Tick;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migration.Migrations;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ferry.orchestrator.support.BackgroundLoop;
import org.springframework.stereotype.Component;

/**
 * Gives every running migration a {@link Tick} each interval: the state machine decides whether a host missed its
 * heartbeats, progress stalled, the completion timeout passed, or a rollback waited long enough. Several orchestrator
 * instances may tick the same migration; the log's version check lets only one of their decisions land.
 */
@Component
class Watchdog extends BackgroundLoop {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final MigrationsReadModel readModel;
    private final Inventory inventory;
    private final Migrations migrations;
    private final OrchestratorProperties properties;
    private final Clock clock;
    private io.ferry.orchestrator.support.StartupGrace grace;
    private Set<HostId> lastUnreachable = Set.of();

    Watchdog(MigrationsReadModel readModel, Inventory inventory, Migrations migrations, OrchestratorProperties properties,
            Clock clock) {
        super("watchdog");
        this.readModel = readModel;
        this.inventory = inventory;
        this.migrations = migrations;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected void starting() {
        grace = io.ferry.orchestrator.support.StartupGrace.startingNow(clock, properties.hostLivenessTimeout());
    }

    @Override
    protected void round() {
        tickAll();
    }

    @Override
    protected void pause() throws InterruptedException {
        Thread.sleep(properties.watchdogInterval().toMillis());
    }

    void tickAll() {
        Set<HostId> unreachable = unreachableHosts();
        if (!unreachable.equals(lastUnreachable)) {
            log.warn("hosts without a heartbeat for over {}: {}", properties.hostLivenessTimeout(), unreachable);
            lastUnreachable = unreachable;
        }
        List<UUID> ids = readModel.inFlightIds();
        Map<UUID, Set<HostId>> restarted = restartedHosts();
        for (UUID id : ids) {
            Instant now = clock.instant();
            var tick = new Tick(unreachable, restarted.getOrDefault(id, Set.of()), now);
            var added = migrations.decide(new MigrationId(id), tick,
                    new EventMetadata("orchestrator:watchdog", "timer:" + now, null, now), Optional.empty()).added();
            added.forEach(e -> log.info("migration {} v{}: {} (watchdog)", id, e.version(), e.type()));
        }
    }

    /**
     * For each in-flight migration, its hosts whose agent incarnation was first heard after the migration was
     * admitted: that agent restarted meanwhile and lost what it held in memory for it. A queued migration has no
     * admission yet, so a restart before it starts is no concern. Both times are the orchestrator side's (the
     * database's clock for the heartbeat, the orchestrator's for the admission), never an agent's.
     */
    private Map<UUID, Set<HostId>> restartedHosts() {
        Map<UUID, Set<HostId>> restarted = new HashMap<>();
        readModel.inFlightWithRestartedHosts().forEach((id, hosts) -> restarted.put(id,
                hosts.stream().map(HostId::new).collect(java.util.stream.Collectors.toSet())));
        return restarted;
    }

    /** Nobody is judged unreachable in the {@link io.ferry.orchestrator.support.StartupGrace}. */
    private Set<HostId> unreachableHosts() {
        if (grace.settling()) {
            return Set.of();
        }
        return inventory.unreachable(properties.hostLivenessTimeout()).stream().map(HostId::new).collect(Collectors.toSet());
    }

}
