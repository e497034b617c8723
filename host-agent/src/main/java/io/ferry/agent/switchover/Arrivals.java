package io.ferry.agent.switchover;

import io.ferry.agent.AgentProperties;
import io.ferry.agent.Disks;
import io.ferry.hypervisor.Hypervisor;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.ResumeResult;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.agent.storage.Handoff;
import io.ferry.agent.storage.StorageLeaseException;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.agent.storage.StorageLeases.Lease;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The destination's half of stages 3 to 5, run by this host alone from setup on. Once the stream has arrived and
 * the source hands the disk over (its lease, addressed here), it compares the source's digest with what arrived,
 * takes the lease and runs the guest. Nothing that decides the switchover happens after the pause: the orchestrator
 * authorised it before the source paused, by issuing the final copy together with ACQUIRE_STORAGE and RESUME, and
 * those two commands only report what this did, whenever they arrive. An ABORT stops an arrival that has not taken
 * the disk yet; one that has, runs to the end (past resume a migration only moves forward).
 */
@Component
public class Arrivals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Arrivals.class);
    /** Pre-copy may run long; an abort, not this, ends the wait of a migration that fails. */
    private static final Duration STREAM_TIMEOUT = Duration.ofHours(24);
    /** From the whole stream arrived to the source's handoff: the source's digest and one lease write. */
    static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(60);
    private static final int REMEMBERED = 64;

    private final Hypervisor hypervisor;
    private final StorageLeases leases;
    private final String host;
    private final Clock clock;
    private final Map<String, Arrival> arrivals = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Arrival> eldest) {
            return size() > REMEMBERED && eldest.getValue().finished();
        }
    });

    @org.springframework.beans.factory.annotation.Autowired
    public Arrivals(Hypervisor hypervisor, StorageLeases leases, AgentProperties properties, Clock clock) {
        this(hypervisor, leases, properties.host(), clock);
    }

    /** @param host this host's name, as the source addresses its handoff */
    public Arrivals(Hypervisor hypervisor, StorageLeases leases, String host, Clock clock) {
        this.hypervisor = hypervisor;
        this.leases = leases;
        this.host = host;
        this.clock = clock;
    }

    /** The guest resumed here: the lease it runs under, what the driver said, and where the blackout went. */
    public record Arrived(Lease lease, ResumeResult result, Instant pausedAt, Breakdown breakdown) {}

    /** Stage 1 done on this destination: from now on it waits for the guest by itself. A second call changes nothing. */
    public void expect(MigrationTicket ticket, VmSpec spec) {
        synchronized (arrivals) {
            if (arrivals.containsKey(ticket.migrationId())) {
                return;
            }
            Arrival arrival = new Arrival(ticket, Disks.of(spec.diskPath()));
            // A platform thread: the steps after the handoff are timing-critical and must not wait for a carrier.
            arrival.thread = Thread.ofPlatform().daemon().name("arrival-" + ticket.vmId()).start(arrival::run);
            arrivals.put(ticket.migrationId(), arrival);
        }
    }

    /** The lease this host took for {@code migrationId}, once it took it. */
    public Lease awaitTakenOver(String migrationId, Duration timeout) {
        return await(arrival(migrationId).takenOver, migrationId, timeout);
    }

    /** The guest of {@code migrationId} running here, once it runs. */
    public Arrived awaitResumed(String migrationId, Duration timeout) {
        return await(arrival(migrationId).resumed, migrationId, timeout);
    }

    /**
     * An ABORT reached this destination: an arrival that has not taken the disk never will. One that has already
     * resumed the guest is left as it is (the driver refuses the abort).
     */
    public void abort(String migrationId) {
        Arrival arrival = arrivals.get(migrationId);
        if (arrival == null) {
            return;
        }
        synchronized (arrival) {
            if (arrival.ran) {
                return;
            }
            arrival.aborted = true;
        }
        arrival.thread.interrupt();
    }

    private Arrival arrival(String migrationId) {
        Arrival arrival = arrivals.get(migrationId);
        if (arrival == null) {
            throw new HypervisorException(FailureReason.AGENT_RESTARTED, "no arrival of migration " + migrationId + " is expected on "
                    + "this host: its agent started after the skeleton was prepared, and the skeleton died with the "
                    + "previous one");
        }
        return arrival;
    }

    private static <T> T await(CompletableFuture<T> future, String migrationId, Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HypervisorException failure) {
                throw new HypervisorException(failure.code(), failure.getMessage(), failure);
            }
            throw new HypervisorException(FailureReason.AGENT_ERROR, "the arrival of migration " + migrationId + " failed: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, "migration " + migrationId + " had not arrived here "
                    + timeout.toSeconds() + " s after it was asked for: the source has not handed the disk over", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.RESUME_FAILED, "stopped waiting for migration " + migrationId
                    + ": it is being aborted", e);
        }
    }

    /** One migration arriving here, on its own thread. */
    private final class Arrival {
        final MigrationTicket ticket;
        final String disk;
        final CompletableFuture<Lease> takenOver = new CompletableFuture<>();
        final CompletableFuture<Arrived> resumed = new CompletableFuture<>();
        volatile Thread thread;
        /** Guarded by this: an abort and the takeover exclude each other. */
        boolean aborted;
        boolean ran;

        Arrival(MigrationTicket ticket, String disk) {
            this.ticket = ticket;
            this.disk = disk;
        }

        boolean finished() {
            return resumed.isDone();
        }

        void run() {
            String id = ticket.migrationId();
            try {
                String arrived = hypervisor.awaitArrival(ticket, STREAM_TIMEOUT);
                Instant arrivedAt = clock.instant();
                Handoff handoff = leases.awaitHandoff(disk, host, id, HANDOFF_TIMEOUT);
                if (!handoff.checksum().equals(arrived)) {
                    leases.refuseHandoff(disk, host, id, "the destination's copy " + arrived + " differs from the source's "
                            + handoff.checksum());
                    throw new HypervisorException(FailureReason.MEMORY_MISMATCH, "what arrived of " + ticket.vmId() + " here (digest "
                            + arrived + ") differs from the source's at pause (" + handoff.checksum() + "); the handoff "
                            + "was refused, so the source keeps the disk and runs the guest again");
                }
                synchronized (this) {
                    if (aborted) {
                        throw new HypervisorException(FailureReason.RESUME_FAILED, "migration " + id + " was aborted here before "
                                + "the disk was taken; the source keeps it");
                    }
                    Lease lease = leases.takeOver(disk, host, id);
                    Instant takenAt = clock.instant();
                    ran = true;
                    ResumeResult result;
                    try {
                        result = hypervisor.resume(ticket);
                    } finally {
                        // Only now: the waiting ACQUIRE_STORAGE would report at once, and on a busy host that work
                        // would compete with the resume for a CPU inside the blackout.
                        takenOver.complete(lease);
                    }
                    markResumed(id);
                    Breakdown breakdown = Breakdown.of(handoff, arrivedAt, takenAt, result.resumedAt());
                    log.info("{} resumed here for migration {} at epoch {}: down {} µs (last page {}, device state {}, "
                            + "digest {}, storage {}, resume {}, other {})", ticket.vmId(), id, lease.epoch(),
                            breakdown.totalUs(), breakdown.lastPageUs(), breakdown.deviceStateUs(),
                            breakdown.digestCheckUs(), breakdown.storageHandoffUs(), breakdown.resumeUs(),
                            breakdown.otherUs());
                    resumed.complete(new Arrived(lease, result, handoff.pausedAt(), breakdown));
                }
            } catch (HypervisorException e) {
                fail(e);
            } catch (StorageLeaseException e) {
                fail(new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, e.getMessage(), e));
            } catch (RuntimeException e) {
                log.error("arrival of migration {} failed unexpectedly", id, e);
                fail(new HypervisorException(FailureReason.AGENT_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), e));
            }
        }

        /** The source drops its paused copy on this mark (STOP_SOURCE); without it, it keeps the copy and says so. */
        private void markResumed(String id) {
            try {
                leases.markResumed(disk, host, id);
            } catch (StorageLeaseException | java.io.UncheckedIOException e) {
                log.warn("{} runs here for migration {}, but its lease could not be marked resumed ({}); the source keeps "
                        + "its paused copy until it is stopped by hand", ticket.vmId(), id, e.getMessage());
            }
        }

        private void fail(HypervisorException e) {
            log.info("arrival of migration {} ended without a resume: {}", ticket.migrationId(), e.getMessage());
            takenOver.completeExceptionally(e);
            resumed.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        synchronized (arrivals) {
            arrivals.values().forEach(arrival -> {
                Thread thread = arrival.thread;
                if (thread != null && !arrival.finished()) {
                    thread.interrupt();
                }
            });
        }
    }
}
