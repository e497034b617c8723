package io.ferry.orchestrator.placement;

import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Placement;
import io.ferry.orchestrator.core.Placement.RuledOut;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a destination for a VM, purely: every host is put through the same pre-checks a named destination must
 * pass, and among those left the one with the most memory free after the VM (then the fewest incoming migrations,
 * then the name) wins, so VMs spread instead of piling onto one host.
 */
public final class Placer {
    /**
     * @param liveness how long a silent host still counts as alive, for the message
     * @param maxIncoming migrations in flight towards one host at most (ferry's per-host limit)
     */
    public record Rules(java.time.Duration liveness, int maxIncoming) {}

    /** What a VM needs from a host. {@code exclude}: hosts not to use (a move that already failed there). */
    public record Need(String vmId, String source, int memoryMb, List<String> cpuFeatures, Set<String> exclude) {
        public Need {
            cpuFeatures = List.copyOf(cpuFeatures);
            exclude = Set.copyOf(exclude);
        }
    }

    /** The choice, or why none: every host with the check it failed. */
    public record Outcome(Optional<Placement> placement, List<RuledOut> ruledOut) {
        public String explain() {
            return ruledOut.isEmpty() ? "no other host has reported to ferry"
                    : ruledOut.stream().map(r -> r.host() + ": " + r.reason()).reduce((a, b) -> a + "; " + b).orElseThrow();
        }
    }

    private Placer() {}

    public static Outcome place(Need need, List<Candidate> hosts, Rules rules) {
        List<RuledOut> ruledOut = new ArrayList<>();
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate host : hosts.stream().sorted(Comparator.comparing(Candidate::host)).toList()) {
            Optional<String> why = ruledOut(need, host, rules);
            if (why.isPresent()) {
                ruledOut.add(new RuledOut(new HostId(host.host()), why.get()));
            } else {
                eligible.add(host);
            }
        }
        Optional<Candidate> best = eligible.stream().min(Comparator
                .comparingLong((Candidate c) -> -(c.freeAfterReservations() - need.memoryMb()))
                .thenComparingInt(Candidate::incoming)
                .thenComparing(Candidate::host));
        return new Outcome(best.map(b -> new Placement(new HostId(b.host()), why(need, b, eligible), ruledOut)),
                List.copyOf(ruledOut));
    }

    /** The first pre-check the host fails, in the order an operator would look. */
    static Optional<String> ruledOut(Need need, Candidate host, Rules rules) {
        if (host.host().equals(need.source())) {
            return Optional.of("it is where " + need.vmId() + " runs now");
        }
        if (need.exclude().contains(host.host())) {
            return Optional.of("a move of " + need.vmId() + " to it already failed");
        }
        if (host.mode() != HostMode.ACTIVE) {
            return Optional.of("it is " + host.mode() + " (ferry undrain " + host.host() + " returns it)");
        }
        if (!host.alive()) {
            return Optional.of("no heartbeat in the last " + rules.liveness().toSeconds() + " s");
        }
        List<String> missing = need.cpuFeatures().stream().filter(f -> !host.cpuFeatures().contains(f)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("it lacks CPU features " + missing + " that " + need.vmId() + " uses");
        }
        if (host.freeAfterReservations() < need.memoryMb()) {
            return Optional.of(host.freeAfterReservations() + " MB free" + (host.reservedMb() > 0 ? " after "
                    + host.reservedMb() + " MB promised to queued migrations" : "") + ", " + need.vmId() + " needs "
                    + need.memoryMb() + " MB");
        }
        if (host.incoming() >= rules.maxIncoming()) {
            return Optional.of("it already receives " + host.incoming() + " migrations, its limit");
        }
        return Optional.empty();
    }

    private static String why(Need need, Candidate chosen, List<Candidate> eligible) {
        long after = chosen.freeAfterReservations() - need.memoryMb();
        return eligible.size() == 1
                ? "the only host that passed every pre-check; " + after + " MB free after " + need.vmId()
                : "most memory free after " + need.vmId() + " (" + after + " MB) of " + eligible.size()
                        + " hosts that passed every pre-check: " + eligible.stream()
                        .map(c -> c.host() + " " + (c.freeAfterReservations() - need.memoryMb()) + " MB").toList();
    }
}
