package io.ferry.agent.storage;

import java.time.Instant;
import java.util.Properties;

/**
 * A switchover written into the disk's lease by the source: the lease is free but addressed to one destination for
 * one migration, with what that destination checks before it runs the guest and the source's part of the downtime.
 * It is the only message between the two hosts inside the blackout that is not on the migration stream itself.
 *
 * @param epoch the epoch the source held; the destination takes {@code epoch + 1}
 * @param checksum the source's digest of the paused guest (memory or registers, by driver)
 * @param pausedAt when the source paused the guest
 * @param handedOverAt when the source started this write
 * @param times the source's phases of the blackout
 * @param state PENDING until the destination takes it (TAKEN) or it is refused or taken back (REFUSED); RESUMED once
 *     the destination runs the guest, the source's signal that its paused copy may go
 * @param refusal why it was refused (null unless REFUSED)
 */
public record Handoff(String migrationId, String from, String to, long epoch, String checksum, Instant pausedAt,
        Instant handedOverAt, SourceTimes times, State state, String refusal) {

    public enum State { PENDING, TAKEN, RESUMED, REFUSED }

    /**
     * The source's phases, in microseconds.
     *
     * @param deviceStateUs -1 when the driver sends the device state inside the tail (QEMU)
     * @param authorisationWaitUs how long the guest was paused before the switchover was authorised (0 normally)
     */
    public record SourceTimes(long lastPageUs, long deviceStateUs, long digestUs, long authorisationWaitUs) {}

    /** A handoff the source is about to write (the epoch is filled in from the lease). */
    public static Handoff of(String migrationId, String from, String to, String checksum, Instant pausedAt,
            Instant handedOverAt, SourceTimes times) {
        return new Handoff(migrationId, from, to, -1, checksum, pausedAt, handedOverAt, times, State.PENDING, null);
    }

    public boolean pending() {
        return state == State.PENDING;
    }

    boolean pendingFor(String host, String migration) {
        return pending() && to.equals(host) && migrationId.equals(migration);
    }

    Handoff withEpoch(long heldEpoch) {
        return new Handoff(migrationId, from, to, heldEpoch, checksum, pausedAt, handedOverAt, times, state, refusal);
    }

    Handoff taken() {
        return new Handoff(migrationId, from, to, epoch, checksum, pausedAt, handedOverAt, times, State.TAKEN, null);
    }

    Handoff resumed() {
        return new Handoff(migrationId, from, to, epoch, checksum, pausedAt, handedOverAt, times, State.RESUMED, null);
    }

    Handoff refused(String reason) {
        return new Handoff(migrationId, from, to, epoch, checksum, pausedAt, handedOverAt, times, State.REFUSED, reason);
    }

    void store(Properties props) {
        props.setProperty("handoff.migration", migrationId);
        props.setProperty("handoff.from", from);
        props.setProperty("handoff.to", to);
        props.setProperty("handoff.epoch", Long.toString(epoch));
        props.setProperty("handoff.checksum", checksum);
        // Epoch nanoseconds, not ISO text: java.time's formatter costs tens of ms on first use, inside the blackout.
        props.setProperty("handoff.pausedAt", Long.toString(nanos(pausedAt)));
        props.setProperty("handoff.handedOverAt", Long.toString(nanos(handedOverAt)));
        props.setProperty("handoff.lastPageUs", Long.toString(times.lastPageUs()));
        props.setProperty("handoff.deviceStateUs", Long.toString(times.deviceStateUs()));
        props.setProperty("handoff.digestUs", Long.toString(times.digestUs()));
        props.setProperty("handoff.authorisationWaitUs", Long.toString(times.authorisationWaitUs()));
        props.setProperty("handoff.state", state.name());
        if (refusal != null) {
            props.setProperty("handoff.refusal", refusal);
        }
    }

    /** The handoff a lease file records, or null (a lease written before handoffs, or never handed over). */
    static Handoff load(Properties props) {
        String migration = props.getProperty("handoff.migration");
        if (migration == null) {
            return null;
        }
        return new Handoff(migration, props.getProperty("handoff.from"), props.getProperty("handoff.to"),
                Long.parseLong(props.getProperty("handoff.epoch")), props.getProperty("handoff.checksum"),
                instant(props.getProperty("handoff.pausedAt")), instant(props.getProperty("handoff.handedOverAt")),
                new SourceTimes(Long.parseLong(props.getProperty("handoff.lastPageUs")),
                        Long.parseLong(props.getProperty("handoff.deviceStateUs")),
                        Long.parseLong(props.getProperty("handoff.digestUs")),
                        Long.parseLong(props.getProperty("handoff.authorisationWaitUs"))),
                State.valueOf(props.getProperty("handoff.state")), props.getProperty("handoff.refusal"));
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static Instant instant(String epochNanos) {
        long nanos = Long.parseLong(epochNanos);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
