package io.ferry.orchestrator.admission;

import io.ferry.orchestrator.OrchestratorProperties;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.MigrationCommand.Admit;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.migration.Migrations;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ferry.orchestrator.support.BackgroundLoop;
import org.springframework.stereotype.Component;

/**
 * Starts queued migrations in request order while the limits allow: per source host (Hyper-V's default 2) and in
 * the whole cluster (KubeVirt's default 5). The round counts and decides under an advisory lock, so two orchestrator
 * instances never both take the last slot; it opens no transaction, and each admission is decided in its own, so one
 * that loses a race (a cancel, say) is decided again without undoing the others. A migration being rolled back still
 * holds its slot.
 */
@Component
class Admissions extends BackgroundLoop {
    private static final Logger log = LoggerFactory.getLogger(Admissions.class);

    private final MigrationsReadModel readModel;
    private final AdmissionLock lock;
    private final Migrations migrations;
    private final AdmissionSignal signal;
    private final OrchestratorProperties limits;
    private final Clock clock;

    Admissions(MigrationsReadModel readModel, AdmissionLock lock, Migrations migrations, AdmissionSignal signal,
            OrchestratorProperties limits, Clock clock) {
        super("admissions");
        this.readModel = readModel;
        this.lock = lock;
        this.migrations = migrations;
        this.signal = signal;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    protected void round() {
        admitWhatFits();
    }

    /** Woken by a new request or an ended migration; polling covers the rest. */
    @Override
    protected void pause() throws InterruptedException {
        signal.await(1_000);
    }

    void admitWhatFits() {
        lock.tryRun(this::admitUnderLock);
    }

    private void admitUnderLock() {
        // the counts can only shrink while the lock is held: nobody else admits
        Map<String, Integer> perSource = readModel.inFlightBySource();
        int total = perSource.values().stream().mapToInt(Integer::intValue).sum();
        for (MigrationsReadModel.Queued queued : readModel.queued(200)) {
            if (total >= limits.maxConcurrent()) {
                return;
            }
            String source = queued.sourceHost();
            int fromSource = perSource.getOrDefault(source, 0);
            if (fromSource >= limits.maxOutboundPerHost()) {
                continue; // this host is busy; a later request from another host may still fit
            }
            Instant now = clock.instant();
            UUID id = queued.migrationId();
            var added = migrations.decide(new MigrationId(id), new Admit(fromSource, total, now),
                    new EventMetadata("orchestrator:scheduler", "admission", null, now), Optional.empty()).added();
            if (!added.isEmpty()) {
                log.info("migration {} admitted ({} of {} leaving {}, {} of {} in the cluster)", id, fromSource + 1,
                        limits.maxOutboundPerHost(), source, total + 1, limits.maxConcurrent());
                perSource.merge(source, 1, Integer::sum);
                total++;
            }
        }
    }
}
