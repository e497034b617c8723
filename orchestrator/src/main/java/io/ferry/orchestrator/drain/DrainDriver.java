package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.cancel.CancelService;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.drain.DrainState.Move;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import io.ferry.orchestrator.placement.Placements;
import io.ferry.orchestrator.placement.Placer;
import io.ferry.orchestrator.submit.RejectedRequestException;
import io.ferry.orchestrator.submit.SubmissionService;
import io.ferry.orchestrator.support.BackgroundLoop;
import io.ferry.orchestrator.support.StartupGrace;
import io.ferry.schema.MigrationStatus;
import io.ferry.schema.request.MigrationRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Moves a draining host's VMs: submits each planned move as a migration (a drain's, so admitted first), follows it to
 * its end, places a failed one again on another host or leaves it with why, and carries out a stop. Each round starts
 * from the logs, so an orchestrator that restarts mid-drain goes on where the last one stopped; the request id of a
 * move attempt is fixed, so submitting it twice makes one migration.
 */
@Component
class DrainDriver extends BackgroundLoop {
    /** Before stage 3 a migration may still be cancelled; a stop with cancelRunning cancels only these. */
    private static final Set<MigrationStatus> CANCELLABLE = Set.of(MigrationStatus.QUEUED, MigrationStatus.SETUP,
            MigrationStatus.PRECOPY);

    private final Drains drains;
    private final DrainsReadModel readModel;
    private final SubmissionService submissions;
    private final MigrationsReadModel migrations;
    private final CancelService cancels;
    private final Placements placements;
    private final Inventory inventory;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final Duration liveness;
    private StartupGrace grace;

    DrainDriver(Drains drains, DrainsReadModel readModel, SubmissionService submissions, MigrationsReadModel migrations,
            CancelService cancels, Placements placements, Inventory inventory, Clock clock,
            io.ferry.orchestrator.OrchestratorProperties properties) {
        super("drains");
        this.liveness = properties.hostLivenessTimeout();
        this.drains = drains;
        this.readModel = readModel;
        this.submissions = submissions;
        this.migrations = migrations;
        this.cancels = cancels;
        this.placements = placements;
        this.inventory = inventory;
        this.clock = clock;
    }

    void wakeUp() {
        wake.release();
    }

    @Override
    protected void starting() {
        grace = StartupGrace.startingNow(clock, liveness);
    }

    /** In the {@link StartupGrace} a silent host is no reason to fail or rule out. */
    private boolean settling() {
        return grace.settling();
    }

    @Override
    protected void round() {
        for (UUID id : readModel.draining()) {
            drive(new DrainId(id));
        }
    }

    @Override
    protected void pause() throws InterruptedException {
        wake.tryAcquire(500, TimeUnit.MILLISECONDS);
        wake.drainPermits();
    }

    void drive(DrainId id) {
        DrainState drain = drains.current(id);
        if (!drain.draining()) {
            return;
        }
        // the rows of every move under way in one query, not one per move: a drain of a full host has dozens
        Map<UUID, Map<String, Object>> rows = migrations.progressRows(drain.moves().stream()
                .filter(m -> m.status() == DrainState.MoveStatus.SUBMITTED).map(Move::migrationId).toList());
        for (Move move : drain.moves()) {
            switch (move.status()) {
                case PLANNED -> plan(id, drain, move);
                case SUBMITTING -> request(id, drain, move);
                case SUBMITTED -> follow(id, drain, move, rows.get(move.migrationId()));
                case FAILED -> retryOrGiveUp(id, drain, move);
                case MOVED, LEFT -> { }
            }
        }
    }

    private void plan(DrainId id, DrainState drain, Move move) {
        if (drain.cancelling()) {
            return;
        }
        if (move.destination() == null) { // no host could take it when the drain was planned: try again now
            if (settling()) {
                return;
            }
            Placer.Outcome outcome = place(drain, move);
            decide(id, outcome.placement().isEmpty()
                    ? new DrainCommand.GiveUp(move.vmId(), "no host can take it: " + outcome.explain(), clock.instant())
                    : new DrainCommand.Retarget(move.vmId(), outcome.placement().get().chosen().value(),
                            outcome.placement().get().why(), clock.instant()));
            return; // requested next round, to the host found now
        }
        // the intent first: a stop between it and the request then still finds the migration the request makes
        DrainState after = decide(id, new DrainCommand.Submit(move.vmId(), clock.instant()));
        after.move(move.vmId()).filter(m -> m.status() == DrainState.MoveStatus.SUBMITTING)
                .ifPresent(m -> request(id, after, m));
    }

    /** Requests the move's migration (again, after a restart: its request id makes it the same one). */
    private void request(DrainId id, DrainState drain, Move move) {
        if (drain.cancelling()) { // stopped after the intent: cancel the migration if it was made, else drop the move
            Optional<UUID> made = migrations.idByRequestId(move.requestId(id.value()));
            decide(id, made.isPresent()
                    ? new DrainCommand.Submitted(move.vmId(), made.get(), clock.instant())
                    : new DrainCommand.GiveUp(move.vmId(), "the drain was stopped by " + drain.stoppedBy()
                            + " before this VM's move began", clock.instant()));
            return;
        }
        MigrationRequest request = MigrationRequest.newBuilder().setRequestId(move.requestId(id.value()))
                .setVmId(move.vmId()).setDestinationHost(move.destination()).setSourceHost(drain.host())
                .setRequestedBy(drain.requestedBy()).setBandwidthMbps(drain.bandwidthMbps()).build();
        try {
            MigrationId migration = submissions.accept(request, Channel.DRAIN, id);
            decide(id, new DrainCommand.Submitted(move.vmId(), migration.value(), clock.instant()));
        } catch (RejectedRequestException e) {
            if (e.reason() == RejectedRequestException.Reason.HOST_UNREACHABLE && settling()) {
                return; // asked again next round, once the heartbeats are read
            }
            if (e.reason() == RejectedRequestException.Reason.VM_ALREADY_MIGRATING && alreadyUnderWay(id, drain, move)) {
                return;
            }
            decide(id, new DrainCommand.Refused(move.vmId(), e.reason() + ": " + e.getMessage(), clock.instant()));
        }
    }

    /**
     * A VM that was already migrating when its move came up: one leaving this host is on its way, and the move follows
     * that migration; one arriving here is moved once it has landed (asked again next round). False when it has ended
     * meanwhile, and the refusal stands (the next attempt finds the VM free).
     */
    private boolean alreadyUnderWay(DrainId id, DrainState drain, Move move) {
        Optional<MigrationsReadModel.Active> running = migrations.activeMigration(move.vmId());
        if (running.isEmpty()) {
            return false;
        }
        if (drain.host().equals(running.get().sourceHost())) {
            decide(id, new DrainCommand.Adopt(move.vmId(), running.get().migrationId(), running.get().destinationHost(),
                    clock.instant()));
        }
        return true;
    }

    private void follow(DrainId id, DrainState drain, Move move, Map<String, Object> row) {
        if (row == null) {
            return;
        }
        MigrationStatus status = MigrationStatus.parse((String) row.get("state"));
        if (status.terminal()) {
            String reason = row.get("failure_reason") == null ? (String) row.get("failure_detail")
                    : row.get("failure_reason") + ": " + row.get("failure_detail");
            decide(id, new DrainCommand.MigrationEnded(move.vmId(), move.migrationId(), status.name(), reason,
                    number(row.get("bytes_sent")), number(row.get("total_ms")), clock.instant()));
        } else if (drain.cancelling() && id.value().equals(row.get("drain_id")) && (status == MigrationStatus.QUEUED
                || drain.cancelRunning() && CANCELLABLE.contains(status))) {
            try {
                cancels.cancel(new MigrationId(move.migrationId()), "drain:" + drain.requestedBy());
            } catch (CancelService.CancelRefusedException e) {
                // it reached the final copy meanwhile: it finishes, as a running move does
            }
        }
    }

    private void retryOrGiveUp(DrainId id, DrainState drain, Move move) {
        if (settling()) {
            return;
        }
        if (move.tried().size() >= Drain.MAX_ATTEMPTS) {
            decide(id, new DrainCommand.GiveUp(move.vmId(), "failed on " + move.tried() + "; last: " + move.reason(),
                    clock.instant()));
            return;
        }
        Placer.Outcome outcome = place(drain, move);
        if (outcome.placement().isPresent()) {
            decide(id, new DrainCommand.Retarget(move.vmId(), outcome.placement().get().chosen().value(),
                    outcome.placement().get().why(), clock.instant()));
        } else {
            decide(id, new DrainCommand.GiveUp(move.vmId(), move.reason() + "; no other host can take it: "
                    + outcome.explain(), clock.instant()));
        }
    }

    private Placer.Outcome place(DrainState drain, Move move) {
        List<String> features = inventory.host(drain.host()).map(Inventory.HostRow::cpuFeatures).orElse(List.of());
        Set<String> exclude = new HashSet<>(move.tried());
        return placements.place(new Placer.Need(move.vmId(), drain.host(), move.plan().memoryMb(), features, exclude));
    }

    private DrainState decide(DrainId id, DrainCommand command) {
        return drains.decide(id, command, "orchestrator:drain", "drain-driver").after();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
