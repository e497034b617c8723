package io.ferry.orchestrator.core;

/**
 * Where a migration's blackout went, as the two agents measured it, in microseconds. Each phase is timed on one
 * host's clock; {@code totalUs} spans both hosts' clocks, so {@code otherUs} (total minus the phases) also holds any
 * skew between them and may be negative. Kept as reported: the orchestrator only records and shows it.
 *
 * @param totalUs guest paused on the source to running on the destination
 * @param lastPageUs pause to the last memory page sent (QEMU: to its migration completed, device state included)
 * @param deviceStateUs the register/device state sent; null where the driver sends it inside the tail (QEMU)
 * @param digestCheckUs the destination checking it holds exactly the source's memory and registers
 * @param storageHandoffUs the disk's lease handed over by the source and taken by the destination
 * @param resumeUs the destination starting the guest
 * @param otherUs the rest (waits between the hosts, scheduling)
 * @param authorisationWaitUs how long a guest that paused before its switchover was authorised waited for it; null or
 *        0 normally
 */
public record DowntimeBreakdown(long totalUs, long lastPageUs, Long deviceStateUs, long digestCheckUs,
        long storageHandoffUs, long resumeUs, long otherUs, Long authorisationWaitUs) {}
