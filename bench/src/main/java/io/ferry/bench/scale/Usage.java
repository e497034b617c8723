package io.ferry.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a phase's work went: CPU seconds of each group of processes (from /proc: the orchestrator, the agents, this JVM
 * with the Kafka broker, every PostgreSQL process) and what the scratch database did (commits, rows written per table),
 * as the difference of two snapshots.
 */
final class Usage {
    private static final double TICKS = 100.0; // USER_HZ on Linux

    record Snapshot(long nanos, Map<String, Double> cpuSeconds, Map<String, Long> db) {}

    static Snapshot take(long orchestratorPid, List<Long> agentPids, Connection c) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("orchestrator", cpu(orchestratorPid));
        cpu.put("agents", agentPids.stream().mapToDouble(Usage::cpu).sum());
        cpu.put("benchAndKafka", cpu(ProcessHandle.current().pid()));
        cpu.put("postgres", postgres());
        Map<String, Long> db = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
                rs.next();
                db.put("commits", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_user_tables")) {
                while (rs.next()) {
                    db.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            db.put("error", -1L);
        }
        return new Snapshot(System.nanoTime(), cpu, db);
    }

    static void report(Snapshot a, Snapshot b, ObjectNode out) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        out.put("seconds", seconds);
        ObjectNode cpu = out.putObject("cpuSeconds");
        b.cpuSeconds().forEach((k, v) -> cpu.put(k, Math.round((v - a.cpuSeconds().getOrDefault(k, 0.0)) * 10) / 10.0));
        ObjectNode db = out.putObject("databaseRowsWritten");
        b.db().forEach((k, v) -> {
            long d = v - a.db().getOrDefault(k, 0L);
            if (d > 0) {
                db.put(k, d);
            }
        });
        out.put("commitsPerSecond", (b.db().getOrDefault("commits", 0L) - a.db().getOrDefault("commits", 0L)) / seconds);
    }

    /** utime + stime of a process and its threads, in seconds; 0 when gone. */
    static double cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double postgres() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).strip().startsWith("postgres");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .mapToDouble(p -> cpu(Long.parseLong(p.getFileName().toString()))).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
