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
import io.ferry.schema.MigrationStatus;
import io.ferry.schema.request.MigrationRequest;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    DrainDriver(Drains drains, DrainsReadModel readModel, SubmissionService submissions, MigrationsReadModel migrations,
            CancelService cancels, Placements placements, Inventory inventory, Clock clock) {
        super("drains");
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
                case PLANNED -> submit(id, drain, move);
                case SUBMITTED -> follow(id, drain, move, rows.get(move.migrationId()));
                case FAILED -> retryOrGiveUp(id, drain, move);
                case MOVED, LEFT -> { }
            }
        }
    }

    private void submit(DrainId id, DrainState drain, Move move) {
        String destination = move.destination();
        if (destination == null) { // no host could take it when the drain was planned: try again now
            Placer.Outcome outcome = place(drain, move);
            if (outcome.placement().isEmpty()) {
                decide(id, new DrainCommand.GiveUp(move.vmId(), "no host can take it: " + outcome.explain(),
                        clock.instant()));
                return;
            }
            decide(id, new DrainCommand.Retarget(move.vmId(), outcome.placement().get().chosen().value(),
                    outcome.placement().get().why(), clock.instant()));
            return; // submitted next round, to the host found now
        }
        MigrationRequest request = MigrationRequest.newBuilder()
                .setRequestId("drain-" + id + "-" + move.vmId() + "-" + (move.tried().size() + 1))
                .setVmId(move.vmId()).setDestinationHost(destination).setSourceHost(drain.host())
                .setRequestedBy(drain.requestedBy()).build();
        try {
            MigrationId migration = submissions.accept(request, Channel.DRAIN, id);
            decide(id, new DrainCommand.Submitted(move.vmId(), migration.value(), destination, clock.instant()));
        } catch (RejectedRequestException e) {
            decide(id, new DrainCommand.Refused(move.vmId(), e.reason() + ": " + e.getMessage(), clock.instant()));
        }
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
        } else if (drain.cancelling() && (status == MigrationStatus.QUEUED
                || drain.cancelRunning() && CANCELLABLE.contains(status))) {
            try {
                cancels.cancel(new MigrationId(move.migrationId()), "drain:" + drain.requestedBy());
            } catch (CancelService.CancelRefusedException e) {
                // it reached the final copy meanwhile: it finishes, as a running move does
            }
        }
    }

    private void retryOrGiveUp(DrainId id, DrainState drain, Move move) {
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

    private void decide(DrainId id, DrainCommand command) {
        drains.decide(id, command, "orchestrator:drain", "drain-driver");
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
