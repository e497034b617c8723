package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.drain.DrainEvent.PlannedMove;
import io.ferry.orchestrator.placement.Candidate;
import io.ferry.orchestrator.placement.Placer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Plans a drain, purely: the order the VMs leave in, each one's destination, and the predicted time per VM and for
 * the whole drain.
 *
 * <p>The drained host is every move's source, so at most {@code slots} moves run at once (the per-host limit): the
 * drain is a schedule on identical parallel slots. Largest first (LPT) keeps a big VM from starting last and running
 * alone while the other slots idle; its schedule is never longer than 4/3 of the best one, and usually is the best.
 */
public final class DrainPlanner {
    /** The order VMs leave in. */
    public enum Order {
        /** Biggest memory first: the shortest drain on parallel slots (LPT). */
        LARGEST_FIRST,
        /** As the host lists them: first come, first served, the way most planners do it. */
        AS_LISTED
    }

    /** A VM on the drained host. */
    public record Vm(String vmId, int memoryMb, List<String> cpuFeatures) {}

    /**
     * How long a move takes, from what ferry measured: {@code fixedMs} per move plus {@code msPerMb} per MB of memory.
     *
     * @param basis where the figures come from, in words
     */
    public record Speed(double fixedMs, double msPerMb, String basis) {
        long predict(int memoryMb) {
            return Math.round(fixedMs + msPerMb * memoryMb);
        }

        /** No faster than a link of {@code mbps} carries the whole memory (null: the speed as it is). */
        public Speed capped(Integer mbps) {
            if (mbps == null) {
                return this;
            }
            double wireMsPerMb = (1 << 20) * 8 * 1000.0 / (mbps * 1e6);
            return wireMsPerMb <= msPerMb ? this : new Speed(fixedMs, wireMsPerMb, basis + ", capped at " + mbps + " Mbit/s");
        }
    }

    /** The plan: its moves in order, those no host can take, and the whole drain's predicted time. */
    public record Plan(List<PlannedMove> moves, List<Unplaceable> unplaceable, long predictedMs, Order order, int slots,
            String speedBasis) {}

    public record Unplaceable(String vmId, String reason) {}

    private DrainPlanner() {}

    public static Plan plan(String host, List<Vm> vms, List<Candidate> hosts, Placer.Rules rules, Speed speed,
            int slots, Order order) {
        List<Vm> ordered = new ArrayList<>(vms);
        if (order == Order.LARGEST_FIRST) {
            ordered.sort(Comparator.comparingInt(Vm::memoryMb).reversed().thenComparing(Vm::vmId));
        }
        // each planned move takes memory on its destination before it runs, as a queued migration does
        Map<String, Long> planned = new HashMap<>();
        List<PlannedMove> moves = new ArrayList<>();
        List<Unplaceable> unplaceable = new ArrayList<>();
        for (Vm vm : ordered) {
            List<Candidate> now = hosts.stream().map(c -> new Candidate(c.host(), c.alive(), c.mode(), c.freeMemoryMb(),
                    c.reservedMb() + planned.getOrDefault(c.host(), 0L), c.cpuFeatures(), c.incoming())).toList();
            Placer.Outcome outcome = Placer.place(new Placer.Need(vm.vmId(), host, vm.memoryMb(), vm.cpuFeatures(),
                    Set.of()), now, rules);
            if (outcome.placement().isEmpty()) {
                unplaceable.add(new Unplaceable(vm.vmId(), outcome.explain()));
                continue;
            }
            String to = outcome.placement().get().chosen().value();
            planned.merge(to, (long) vm.memoryMb(), Long::sum);
            moves.add(new PlannedMove(vm.vmId(), vm.memoryMb(), to, moves.size() + 1, speed.predict(vm.memoryMb()),
                    outcome.placement().get().why()));
        }
        return new Plan(List.copyOf(moves), List.copyOf(unplaceable),
                makespan(moves.stream().map(PlannedMove::predictedMs).toList(), slots), order, slots, speed.basis());
    }

    /** Moves of these durations started in order, each on the first free slot: when the last one ends. */
    static long makespan(List<Long> durations, int slots) {
        PriorityQueue<Long> free = new PriorityQueue<>();
        for (int i = 0; i < slots; i++) {
            free.add(0L);
        }
        long end = 0;
        for (long duration : durations) {
            long done = free.poll() + duration;
            end = Math.max(end, done);
            free.add(done);
        }
        return end;
    }
}
