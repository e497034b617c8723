package io.ferry.hypervisor.estimate;

import io.ferry.hypervisor.Convergence;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a pre-copy round by round, the way the drivers run it, on a guest's dirty curve and a link rate instead of a
 * real guest: round 1 sends the used pages (zero pages as a marker), each later round what the guest dirtied during
 * the previous one, and the loop stops by the drivers' own rule ({@link Convergence}: converged when the rest fits the
 * downtime limit at the link rate; the round limit; no 5 % progress for the progress timeout; auto-converge's throttle
 * steps). Pure: the same inputs give the same estimate, so the orchestrator, the bench and a what-if agree.
 */
public final class PrecopyModel {
    /** Bytes a data page takes on the wire: the page and its frame header (Frames.PAGE_HEADER), batch CRCs aside. */
    static final double DATA_PAGE_BYTES = 4096 + 8;
    /** Bytes a zero page takes on the wire: its header only. */
    static final double ZERO_PAGE_BYTES = 8;
    /** A model that has not ended by then has a link too slow to speak of; it does not converge. */
    private static final int MAX_ROUNDS_PLAYED = 5_000;
    private static final int MAX_BANDWIDTH_MBPS = 400_000;
    /** The link an uncapped migration is assumed to get before ferry has measured one (this machine's loopback streams about 1 GiB/s). */
    public static final double DEFAULT_LINK_MBPS = 8_000;
    private static final long MAX_DOWNTIME_MS = 60_000;

    /**
     * Everything outside the pre-copy and the pause: setup, storage, resume, network, the orchestrator's round trips.
     *
     * @param fixedMs request to the pre-copy's start plus the pause's end to completion
     * @param switchoverMs what a pause costs beyond sending the remaining pages (device state, digests, lease, resume)
     */
    public record Overheads(long fixedMs, long switchoverMs) {
        /** Before ferry has measured any: what a small migration here takes outside its pre-copy. */
        public static final Overheads DEFAULT = new Overheads(600, 30);
    }

    /**
     * @param guest what the source measured of the guest
     * @param policy the request's policy (its bandwidth cap included)
     * @param linkMbps what the link carries over a round, at most the policy's cap
     * @param tailFactor the rate the driver judges the remaining set at, over {@code linkMbps} (at least 1): QEMU's
     *     driver uses its recent rate, which an uncapped stream reaches above its round's average; 1 for a capped link
     * @param laterRoundsFactor the rate of the rounds after the first, over {@code linkMbps} (at least 1), as measured:
     *     kept only on an uncapped link (a capped one runs at its cap throughout), else 1. Both drivers' later passes
     *     send only the pages dirtied since, where round 1 reads every page: QEMU's ran at 2-4x round 1's rate here; the
     *     simulated one's faster too (2026-12-02: a guest rewriting all its memory, its later rounds played at round
     *     1's rate, was estimated 46-66 % long)
     * @param throttledRateFactor the rate a throttled guest dirties pages at while it runs, over its sample's rate (at
     *     most 1), as its own recent migrations' throttled rounds showed it: a guest sampled alone writes faster than
     *     one that shares the host with its own migration (2026-12-02: a write-heavy guest sampled at 3.8 M pages/s
     *     dirtied about 1.2 M/s in its throttled rounds, and an estimate played at the sample's rate said it would not
     *     converge at 99 % when it did); 1 when unknown. Rounds that are not throttled keep the sample's rate.
     * @param linkCeilingMbps the most the hosts' link carries uncapped (0: unknown): a bandwidth remedy above it is no
     *     remedy, as no cap makes a link faster (2026-12-02: a what-if named 21,581 Mbit/s for a write-heavy guest on a
     *     route whose rounds reach 6-7 Gbit/s, and the migration under it failed as before)
     */
    public record Inputs(GuestSample guest, CopyPolicy policy, double linkMbps, Driver driver, Overheads overheads,
            double tailFactor, double laterRoundsFactor, double throttledRateFactor, double linkCeilingMbps) {
        public Inputs {
            tailFactor = Math.max(1, tailFactor);
            laterRoundsFactor = policy.bandwidthMbps() == 0 ? Math.max(1, laterRoundsFactor) : 1;
            throttledRateFactor = throttledRateFactor > 0 ? Math.min(1, throttledRateFactor) : 1;
            linkCeilingMbps = Math.max(0, linkCeilingMbps);
        }

        public Inputs(GuestSample guest, CopyPolicy policy, double linkMbps, Driver driver, Overheads overheads,
                double tailFactor, double laterRoundsFactor, double throttledRateFactor) {
            this(guest, policy, linkMbps, driver, overheads, tailFactor, laterRoundsFactor, throttledRateFactor, 0);
        }

        /** The same, with no bandwidth remedy above {@code mbps}. */
        public Inputs withLinkCeiling(double mbps) {
            return new Inputs(guest, policy, linkMbps, driver, overheads, tailFactor, laterRoundsFactor, throttledRateFactor,
                    mbps);
        }

        public Inputs(GuestSample guest, CopyPolicy policy, double linkMbps, Driver driver, Overheads overheads,
                double tailFactor, double laterRoundsFactor) {
            this(guest, policy, linkMbps, driver, overheads, tailFactor, laterRoundsFactor, 1);
        }

        public Inputs(GuestSample guest, CopyPolicy policy, double linkMbps, Driver driver, Overheads overheads,
                double tailFactor) {
            this(guest, policy, linkMbps, driver, overheads, tailFactor, 1);
        }

        public Inputs(GuestSample guest, CopyPolicy policy, double linkMbps, Driver driver, Overheads overheads) {
            this(guest, policy, linkMbps, driver, overheads, 1);
        }
    }

    private PrecopyModel() {}

    /** The estimate, and when it does not converge, what would make it. */
    public static Estimate estimate(Inputs in) {
        Estimate plain = play(in);
        if (plain.converges()) {
            return plain;
        }
        return withRemedies(plain, remedies(in));
    }

    /** The link a policy gets on a link that carries {@code measuredMbps}: the cap when there is one and it is lower. */
    public static double link(int bandwidthMbps, double measuredMbps) {
        return bandwidthMbps > 0 ? Math.min(bandwidthMbps, measuredMbps > 0 ? measuredMbps : bandwidthMbps) : measuredMbps;
    }

    /**
     * The share of its rate a link may run below its figure and a remedy still hold: the rounds of one migration under a
     * 1,000 Mbit/s cap ran at 885-932 Mbit/s here (2026-12-02), and a downtime limit named at the knife's edge from
     * round 1's 892 (9,685 ms) missed round 1 of the migration under it by 19 ms.
     */
    static final double REMEDY_MARGIN = 0.1;

    /** What would make it converge, each checked by playing it on a link {@link #REMEDY_MARGIN} slower than assumed. */
    private static Estimate.Remedies remedies(Inputs in) {
        CopyPolicy p = in.policy();
        double slack = 1 - REMEDY_MARGIN;
        Integer bandwidth = null;
        int ceiling = in.linkCeilingMbps() > 0 ? (int) Math.min(MAX_BANDWIDTH_MBPS, in.linkCeilingMbps()) : MAX_BANDWIDTH_MBPS;
        if (ceiling > in.linkMbps()
                && play(with(in, copy(p, p.maxDowntimeMs(), ceiling, p.autoConverge()), ceiling * slack)).converges()) {
            int low = Math.max(1, (int) in.linkMbps());
            int high = ceiling;
            while (high - low > Math.max(1, low / 100)) { // within 1 %
                int mid = low + (high - low) / 2;
                if (play(with(in, copy(p, p.maxDowntimeMs(), mid, p.autoConverge()), mid * slack)).converges()) {
                    high = mid;
                } else {
                    low = mid;
                }
            }
            bandwidth = high;
        }
        Integer throttle = null;
        if (!p.autoConverge()) {
            Estimate throttled = play(with(in, copy(p, p.maxDowntimeMs(), p.bandwidthMbps(), true), in.linkMbps() * slack));
            throttle = throttled.converges() ? throttled.throttlePercent() : null;
        }
        Long downtime = null;
        if (play(with(in, copy(p, MAX_DOWNTIME_MS, p.bandwidthMbps(), p.autoConverge()), in.linkMbps() * slack)).converges()) {
            long low = p.maxDowntimeMs();
            long high = MAX_DOWNTIME_MS;
            while (high - low > Math.max(1, low / 100)) {
                long mid = low + (high - low) / 2;
                if (play(with(in, copy(p, mid, p.bandwidthMbps(), p.autoConverge()), in.linkMbps() * slack)).converges()) {
                    high = mid;
                } else {
                    low = mid;
                }
            }
            downtime = high;
        }
        return new Estimate.Remedies(bandwidth, throttle, downtime);
    }

    private static CopyPolicy copy(CopyPolicy p, long maxDowntimeMs, int bandwidthMbps, boolean autoConverge) {
        return new CopyPolicy(maxDowntimeMs, bandwidthMbps, p.maxRounds(), autoConverge, p.compression(), p.progressTimeoutMs());
    }

    private static Inputs with(Inputs in, CopyPolicy policy, double linkMbps) {
        return new Inputs(in.guest(), policy, linkMbps, in.driver(), in.overheads(),
                policy.bandwidthMbps() > 0 ? 1 : in.tailFactor(), // a capped link runs at its cap throughout
                in.laterRoundsFactor(), in.throttledRateFactor(), in.linkCeilingMbps());
    }

    private static Estimate withRemedies(Estimate e, Estimate.Remedies remedies) {
        return new Estimate(e.converges(), e.rounds(), e.totalMs(), e.precopyMs(), e.downtimeMs(), e.throttlePercent(), e.bytes(),
                e.linkMbps(), e.why(), e.perRound(), remedies);
    }

    /** Plays the rounds, as {@code simulated.Precopy} and {@code qemu.QemuPrecopy} run them. */
    static Estimate play(Inputs in) {
        GuestSample guest = in.guest();
        CopyPolicy policy = in.policy();
        DirtyCurve curve = guest.curve();
        DirtyCurve throttledCurve = new DirtyCurve(curve.pagesPerSec() * in.throttledRateFactor(), curve.workingSetPages());
        double bytesPerSec = Math.max(1, in.linkMbps()) * 1e6 / 8;
        double tailBytesPerSec = bytesPerSec * in.tailFactor();
        double laterBytesPerSec = bytesPerSec * in.laterRoundsFactor();
        long progressTimeoutMs = policy.progressTimeoutMs();
        long threshold = policy.maxDowntimeMs() * in.driver().readyFactor;
        List<Estimate.Round> rounds = new ArrayList<>();
        double dataPages = Math.max(0, guest.usedPages() - guest.zeroPages());
        double zeroPages = Math.max(0, guest.zeroPages());
        double elapsedMs = 0;
        double bytes = 0;
        double best = Double.MAX_VALUE;
        double lastProgressMs = 0;
        int throttle = 0;
        for (int round = 1; round <= MAX_ROUNDS_PLAYED; round++) {
            double roundBytes = dataPages * DATA_PAGE_BYTES + zeroPages * ZERO_PAGE_BYTES;
            double roundMs = roundBytes * 1000 / (round == 1 ? bytesPerSec : laterBytesPerSec);
            elapsedMs += roundMs;
            bytes += roundBytes;
            double dirty = Math.min(guest.memoryPages(), (throttle > 0 ? throttledCurve : curve).pages(roundMs / 1000, throttle));
            // the driver judges the set left at the rate of the round that left it
            double judgedAt = round == 1 ? tailBytesPerSec : Math.max(tailBytesPerSec, laterBytesPerSec);
            double judgedMbps = in.linkMbps() * judgedAt / bytesPerSec;
            long expectedMs = (long) Math.ceil(dirty * DATA_PAGE_BYTES * 1000 / judgedAt);
            rounds.add(new Estimate.Round(round, Math.round(dataPages + zeroPages), Math.round(roundMs), Math.round(dirty),
                    expectedMs, throttle));
            if (expectedMs <= threshold) {
                long downtime = (in.driver().pauseSendsConvergedSet ? Math.min(expectedMs, policy.maxDowntimeMs()) : 0)
                        + in.overheads().switchoverMs();
                return new Estimate(true, round, Math.round(in.overheads().fixedMs() + elapsedMs + downtime),
                        Math.round(elapsedMs), downtime, throttle, Math.round(bytes), in.linkMbps(), String.format(
                        "after %d round%s %d pages are left, about %d ms at %.0f Mbit/s, within the %d ms allowed%s", round,
                        round == 1 ? "" : "s", Math.round(dirty), expectedMs, judgedMbps, policy.maxDowntimeMs(),
                        throttle > 0 ? " with the guest throttled " + throttle + " %" : ""), List.copyOf(rounds), null);
            }
            if (in.driver().roundLimit && !policy.autoConverge() && round >= policy.maxRounds()) {
                return gaveUp(in, rounds, elapsedMs, bytes, throttle, String.format("the round limit (%d) is reached with %d "
                        + "pages left, about %d ms at %.0f Mbit/s against the %d ms allowed", policy.maxRounds(),
                        Math.round(dirty), expectedMs, judgedMbps, policy.maxDowntimeMs()));
            }
            boolean progressed = dirty < best * Convergence.PROGRESS;
            if (progressed) {
                best = dirty;
                lastProgressMs = elapsedMs;
            } else if (elapsedMs - lastProgressMs > progressTimeoutMs) {
                return gaveUp(in, rounds, elapsedMs, bytes, throttle, String.format("the dirty set stops shrinking at about %d "
                        + "pages, about %d ms at %.0f Mbit/s against the %d ms allowed%s: the guest dirties memory faster "
                        + "than the link carries it", Math.round(dirty), expectedMs, judgedMbps, policy.maxDowntimeMs(),
                        throttle > 0 ? ", even throttled " + throttle + " %" : ""));
            }
            if (policy.autoConverge() && (round >= policy.maxRounds() || (round > 1 && !progressed))
                    && throttle < Convergence.THROTTLE_MAX) {
                throttle = Convergence.nextThrottle(throttle);
                lastProgressMs = elapsedMs; // a new throttle step gets its own progress timeout, as Convergence.restart
            }
            dataPages = dirty;
            zeroPages = 0;
        }
        return gaveUp(in, rounds, elapsedMs, bytes, throttle, "it would take more than " + MAX_ROUNDS_PLAYED + " rounds");
    }

    private static Estimate gaveUp(Inputs in, List<Estimate.Round> rounds, double elapsedMs, double bytes, int throttle,
            String why) {
        return new Estimate(false, rounds.size(), Math.round(in.overheads().fixedMs() + elapsedMs), Math.round(elapsedMs), 0,
                throttle, Math.round(bytes), in.linkMbps(), why, List.copyOf(rounds), null);
    }
}
