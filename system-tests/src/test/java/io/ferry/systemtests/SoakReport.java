package io.ferry.systemtests;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a chaos soak did and found: faults injected by kind, migrations by outcome, and every violation. */
final class SoakReport {
    enum Fault { ORCHESTRATOR_KILL, SOURCE_AGENT_KILL, DESTINATION_AGENT_KILL, BROKER_RESTART, DATABASE_PAUSE, NETWORK_CUT }

    /** @param migration the soak's number of the migration (1..n) */
    record Violation(int migration, String migrationId, String vmId, String check, String what) {
        @Override
        public String toString() {
            return "#" + migration + " " + migrationId + " " + vmId + " [" + check + "] " + what;
        }
    }

    record Migration(int number, String migrationId, String vmId, String source, String destination, String outcome,
            long seconds, List<String> faults, String detail) {
        @Override
        public String toString() {
            return "#" + number + " " + migrationId + " " + vmId + " " + source + "->" + destination + " " + outcome + " in "
                    + seconds + " s" + (detail == null ? "" : " (" + detail + ")") + "; faults: "
                    + (faults.isEmpty() ? "none" : String.join(", ", faults));
        }
    }

    final long seed;
    private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    private final List<Migration> migrations = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int cancelsRequested;

    SoakReport(long seed) {
        this.seed = seed;
        for (Fault f : Fault.values()) {
            faults.put(f, 0);
        }
    }

    synchronized void injected(Fault fault) {
        faults.merge(fault, 1, Integer::sum);
    }

    synchronized int faultsInjected() {
        return faults.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized void migration(Migration migration) {
        migrations.add(migration);
    }

    synchronized void violation(Violation violation) {
        violations.add(violation);
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized void cancelRequested() {
        cancelsRequested++;
    }

    synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    synchronized int migrationCount() {
        return migrations.size();
    }

    synchronized String summary() {
        Map<String, Long> outcomes = new TreeMap<>(migrations.stream()
                .collect(Collectors.groupingBy(Migration::outcome, Collectors.counting())));
        StringBuilder out = new StringBuilder();
        out.append("=== ferry chaos soak (seed ").append(seed).append("; rerun with -Dsoak.seed=").append(seed)
                .append(") ===\n");
        out.append("faults injected: ").append(faultsInjected()).append(" (")
                .append(faults.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                .append("); cancels requested: ").append(cancelsRequested).append('\n');
        out.append("migrations: ").append(migrations.size()).append(" (")
                .append(outcomes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                .append(")\n");
        out.append("violations: ").append(violations.size()).append('\n');
        violations.forEach(v -> out.append("  ").append(v).append('\n'));
        out.append("per migration:\n");
        migrations.forEach(m -> out.append("  ").append(m).append('\n'));
        if (!notes.isEmpty()) {
            out.append("notes:\n");
            notes.forEach(n -> out.append("  ").append(n).append('\n'));
        }
        return out.toString();
    }
}
