package io.ferry.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 13's scale scenario (bench/run --only scale): the real orchestrator, host agents as separate JVMs, a real broker
 * and PostgreSQL; several hosts drained at once, then the drain planner's order against first come first served on two
 * identical hosts, then the event log's capacity with synthetic load. See README, Benchmark.
 */
public final class ScaleBench {
    public static final String USAGE = """
            usage: bench/run --only scale [--drained N] [--vms-per-host N] [--receivers N] [--vm-mb MB]
                                          [--warm-up-vms N] [--order-sizes MB,MB,...] [--max-concurrent N]
                                          [--agent-heap MB] [--events N] [--writers N] [--append-seconds S]
                                          [--orchestrator KEY=VALUE]... [--no-order] [--order-pairs N] [--no-synthetic]
                                          [--order-bandwidths MBPS,...] [--before-jar ORCHESTRATOR.jar]
              defaults: 5 drained hosts x 40 VMs of 64 MB (200 VMs) onto 15 receivers (20 agents, plus a warm-up host
              and 2 pairs of order hosts per order bandwidth), max-concurrent = drained x 2, agents -Xmx96m; 1,000,000
              events, 8 writers, 10 s; order bandwidths 1000,0: the order pairs' moves each capped at 1 Gbit/s
              (link-bound), then uncapped (0: bound by this machine's CPU)
              --before-jar: before and after in one run: the orchestrator from that jar drains 5 hosts, then this
              checkout's drains 5 other hosts, each holding half the VMs (same agents, broker and database)
            """;

    record Options(int drained, int vmsPerHost, int receivers, int vmMb, int warmUpVms, List<Integer> orderSizes,
            int maxConcurrent, int agentHeapMb, long events, int writers, int appendSeconds,
            Map<String, String> orchestrator, boolean order, boolean synthetic, Path beforeJar, int orderPairs,
            List<Integer> orderBandwidths) {
        static Options parse(List<String> args) {
            int drained = 5, vmsPerHost = 40, receivers = 15, vmMb = 64, warmUp = 6, maxConcurrent = -1, heap = 96;
            int writers = 8, appendSeconds = 10;
            long events = 1_000_000;
            List<Integer> sizes = List.of(64, 64, 64, 64, 64, 64, 1024);
            Map<String, String> orchestrator = new LinkedHashMap<>();
            boolean order = true, synthetic = true;
            Path beforeJar = null;
            int orderPairs = 2;
            List<Integer> orderBandwidths = List.of(1000, 0);
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--drained" -> drained = Integer.parseInt(args.get(++i));
                    case "--vms-per-host" -> vmsPerHost = Integer.parseInt(args.get(++i));
                    case "--receivers" -> receivers = Integer.parseInt(args.get(++i));
                    case "--vm-mb" -> vmMb = Integer.parseInt(args.get(++i));
                    case "--warm-up-vms" -> warmUp = Integer.parseInt(args.get(++i));
                    case "--order-sizes" -> sizes = Arrays.stream(args.get(++i).split(",")).map(Integer::valueOf).toList();
                    case "--max-concurrent" -> maxConcurrent = Integer.parseInt(args.get(++i));
                    case "--agent-heap" -> heap = Integer.parseInt(args.get(++i));
                    case "--events" -> events = Long.parseLong(args.get(++i));
                    case "--writers" -> writers = Integer.parseInt(args.get(++i));
                    case "--append-seconds" -> appendSeconds = Integer.parseInt(args.get(++i));
                    case "--orchestrator" -> {
                        String[] kv = args.get(++i).split("=", 2);
                        orchestrator.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                    case "--no-order" -> order = false;
                    case "--no-synthetic" -> synthetic = false;
                    case "--before-jar" -> beforeJar = Path.of(args.get(++i)).toAbsolutePath();
                    case "--order-pairs" -> orderPairs = Integer.parseInt(args.get(++i));
                    case "--order-bandwidths" -> orderBandwidths = bandwidths(args.get(++i));
                    default -> throw new IllegalArgumentException("unknown scale option " + a);
                }
            }
            if (drained < 1 || vmsPerHost < 1 || receivers < 1 || vmMb < 1 || writers < 1 || appendSeconds < 1) {
                throw new IllegalArgumentException("counts and sizes must be positive");
            }
            if (orderBandwidths.isEmpty() || orderBandwidths.stream().anyMatch(b -> b < 0)) {
                throw new IllegalArgumentException("--order-bandwidths takes Mbit/s per move, 0 for uncapped, e.g. 1000,0");
            }
            return new Options(drained, vmsPerHost, receivers, vmMb, warmUp, sizes,
                    maxConcurrent > 0 ? maxConcurrent : drained * 2, heap, events, writers, appendSeconds, orchestrator,
                    order && orderPairs > 0, synthetic, beforeJar, orderPairs, orderBandwidths);
        }
    }

    /** {@code --order-bandwidths}: Mbit/s per move, comma-separated, 0 for uncapped. */
    private static List<Integer> bandwidths(String value) {
        try {
            return Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--order-bandwidths takes Mbit/s per move, 0 for uncapped, e.g. 1000,0; "
                    + "not " + value);
        }
    }

    /** Two identical hosts, one drained largest first and the other as listed, each move capped at a bandwidth. */
    private record OrderPair(String lpt, String fcfs, int bandwidthMbps, int index) {}

    private ScaleBench() {}

    private static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: scale: " + format + "%n", args);
    }

    /** Runs the scenario; returns the "scale" document. */
    public static ObjectNode run(List<String> args, Path home) throws Exception {
        Options o = Options.parse(args);
        ObjectNode out = Rest.JSON.createObjectNode();
        ObjectNode params = out.putObject("parameters");
        params.put("drainedHosts", o.drained()).put("vmsPerDrainedHost", o.vmsPerHost()).put("receivers", o.receivers())
                .put("vmMb", o.vmMb()).put("maxConcurrent", o.maxConcurrent()).put("agentHeapMb", o.agentHeapMb())
                .put("warmUpVms", o.warmUpVms()).put("orderSizesMb", o.orderSizes().toString())
                .put("orchestratorSettings", o.orchestrator().toString());
        Path runDir = home.resolve("bench").resolve("target").resolve("bench-scale");
        List<String> agentJvm = List.of("-Xmx" + o.agentHeapMb() + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-XX:MaxDirectMemorySize=64m");
        try (ScaleStack stack = new ScaleStack(home, runDir, agentJvm)) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ferry.orchestrator.max-concurrent", Integer.toString(o.maxConcurrent()));
            settings.putAll(o.orchestrator());
            List<String> orchestratorJvm = List.of("-Xmx512m", "-XX:+UseZGC");
            say("database %s, broker %s; starting the orchestrator (%s)", stack.db.jdbcUrl(), stack.kafkaBootstrap(),
                    settings);
            long bootStart = System.nanoTime();
            stack.startOrchestrator(settings, orchestratorJvm, o.beforeJar());
            Rest first = new Rest("http://127.0.0.1:" + stack.orchestrator().port(), "ops", stack.operatorPassword);
            stack.waitFor("the orchestrator's health", Duration.ofMinutes(2), () -> first.answers("/actuator/health"));
            Rest api = first;

            boolean compare = o.beforeJar() != null;
            int perHost = compare ? o.vmsPerHost() / 2 : o.vmsPerHost();
            List<String> drained = hosts("d", o.drained());
            List<String> drainedBefore = compare ? hosts("b", o.drained()) : List.of();
            List<String> receivers = hosts("r", o.receivers());
            Map<String, String> layout = new LinkedHashMap<>();
            for (String h : drainedBefore) {
                layout.put(h, vms(h, perHost, o.vmMb()));
            }
            for (String h : drained) {
                layout.put(h, vms(h, perHost, o.vmMb()));
            }
            receivers.forEach(h -> layout.put(h, ""));
            if (o.warmUpVms() > 0) {
                layout.put("w01", vms("w01", o.warmUpVms(), o.vmMb()));
                if (compare) {
                    layout.put("w02", vms("w02", o.warmUpVms(), o.vmMb()));
                }
            }
            List<OrderPair> orderPairs = new ArrayList<>();
            if (o.order()) {
                for (int bandwidth : o.orderBandwidths()) {
                    for (int i = 0; i < o.orderPairs(); i++) {
                        String lpt = "o" + (2 * orderPairs.size() + 1), fcfs = "o" + (2 * orderPairs.size() + 2);
                        layout.put(lpt, sized(lpt, o.orderSizes()));
                        layout.put(fcfs, sized(fcfs, o.orderSizes()));
                        orderPairs.add(new OrderPair(lpt, fcfs, bandwidth, i));
                    }
                }
            }
            int totalVms = layout.values().stream().mapToInt(v -> v.isEmpty() ? 0 : v.split(",").length).sum();
            say("starting %d agents (%s), %d VMs", layout.size(), String.join(" ", agentJvm), totalVms);
            for (var e : layout.entrySet()) {
                stack.startAgent(e.getKey(), e.getValue());
            }
            // 20-30 JVMs starting at once on a small machine take minutes: say how far they got now and then
            long[] said = {System.nanoTime()};
            stack.waitFor("every agent and VM in the inventory", Duration.ofMinutes(15), () -> {
                int hostsUp = count(first, "/api/hosts"), vmsUp = count(first, "/api/vms");
                if (System.nanoTime() - said[0] > TimeUnit.SECONDS.toNanos(30)) {
                    say("  %d of %d agents and %d of %d VMs reported", hostsUp, layout.size(), vmsUp, totalVms);
                    said[0] = System.nanoTime();
                }
                return hostsUp >= layout.size() && vmsUp >= totalVms;
            });
            for (String h : layout.keySet()) {
                stack.waitFor("agent " + h + "'s HTTP port", Duration.ofMinutes(1),
                        () -> Files.exists(stack.agents().get(h).portFile()));
            }
            out.put("stackStartS", (System.nanoTime() - bootStart) / 1e9);
            say("stack up in %.0f s", (System.nanoTime() - bootStart) / 1e9);

            // the floor under a hop: the hop probe's commit, publish and consume, first on the idle stack
            stack.startHopProbe(PROBE_INTERVAL_MS);
            stack.waitFor("the hop probe's first probe", Duration.ofMinutes(2), () -> !probes(stack).isEmpty());
            Instant idleFrom = Instant.now();
            Thread.sleep(IDLE_FLOOR_WINDOW.toMillis()); // a measuring window, not a wait for something
            Percentiles idle = putFloor(out, "hopFloorIdleMs", "hopFloorIdleCommitMs",
                    probesSentIn(stack, idleFrom, Instant.now()));
            say("hop floor on the idle stack: p50 %.1f ms, p99 %.1f ms (%d probes)", idle.p50(), idle.p99(), idle.count());

            if (compare) {
                ObjectNode phase = out.putObject("before");
                phase.put("orchestratorJar", o.beforeJar().toString());
                scalePhase(stack, api, o, "w01", drainedBefore, receivers, phase);
                say("restarting the orchestrator from this checkout's jar");
                stack.stopOrchestrator();
                stack.startOrchestrator(settings, orchestratorJvm, null);
                api = new Rest("http://127.0.0.1:" + stack.orchestrator().port(), "ops", stack.operatorPassword);
                Rest restarted = api;
                stack.waitFor("the orchestrator's health", Duration.ofMinutes(2),
                        () -> restarted.answers("/actuator/health"));
            }
            ObjectNode s = out.putObject("drain");
            scalePhase(stack, api, o, compare ? "w02" : "w01", drained, receivers, s);
            if (compare) {
                out.set("afterOverBefore", ratios(out.path("before"), s));
            }

            // ---- point 7: the planner's order against first come, first served, per move's bandwidth
            if (o.order()) {
                ArrayNode byBandwidth = out.putObject("order").putArray("byBandwidth");
                for (int bandwidth : o.orderBandwidths()) {
                    ObjectNode order = byBandwidth.addObject().put("bandwidthMbps", bandwidth);
                    ArrayNode runs = order.putArray("runs");
                    long lptSum = 0, fcfsSum = 0;
                    List<OrderPair> pairs = orderPairs.stream().filter(p -> p.bandwidthMbps() == bandwidth).toList();
                    for (OrderPair pair : pairs) {
                        // ABBA: whichever goes first in one pair goes second in the next, so a drift of the machine
                        // falls on both policies
                        boolean lptFirst = pair.index() % 2 == 0;
                        say("order: pair %d at %s: %s largest first and %s as listed, %s first (%s MB)", pair.index() + 1,
                                bandwidth == 0 ? "no cap" : bandwidth + " Mbit/s per move", pair.lpt(), pair.fcfs(),
                                lptFirst ? "largest first" : "as listed", o.orderSizes());
                        DrainRun lpt = null, fcfs = null;
                        for (int k = 0; k < 2; k++) {
                            if ((k == 0) == lptFirst) {
                                lpt = drainAll(api, stack, List.of(pair.lpt()), "LARGEST_FIRST", bandwidth,
                                        Duration.ofMinutes(10));
                            } else {
                                fcfs = drainAll(api, stack, List.of(pair.fcfs()), "AS_LISTED", bandwidth,
                                        Duration.ofMinutes(10));
                            }
                        }
                        ObjectNode run = runs.addObject();
                        orderFigures(lpt, "largestFirst", run);
                        orderFigures(fcfs, "asListed", run);
                        run.put("ratio", (double) lpt.elapsedMs() / fcfs.elapsedMs());
                        lptSum += lpt.elapsedMs();
                        fcfsSum += fcfs.elapsedMs();
                        say("order: largest first %.1f s, as listed %.1f s", lpt.elapsedMs() / 1e3, fcfs.elapsedMs() / 1e3);
                    }
                    order.put("largestFirstMs", lptSum / pairs.size()).put("asListedMs", fcfsSum / pairs.size());
                    order.put("ratio", (double) lptSum / fcfsSum);
                    order.put("shorterBy", 1 - (double) lptSum / fcfsSum);
                }
            }
        }
        if (o.synthetic()) {
            say("synthetic: %,d events in a scratch log, %d writers for %d s", o.events(), o.writers(), o.appendSeconds());
            out.set("eventLog", EventLogLoad.run(o.events(), o.writers(), o.appendSeconds()));
        }
        out.set("targets", ScaleTargets.judge(out));
        return out;
    }

    /** A warm-up drain of one host, then the measured drain of {@code drained} at once, analysed into {@code s}. */
    private static void scalePhase(ScaleStack stack, Rest api, Options o, String warmUpHost, List<String> drained,
            List<String> receivers, ObjectNode s) throws Exception {
        if (o.warmUpVms() > 0) {
            say("warm-up: draining %s (%d VMs)", warmUpHost, o.warmUpVms());
            DrainRun w = drainAll(api, stack, List.of(warmUpHost), "LARGEST_FIRST", Duration.ofMinutes(5));
            s.putObject("warmUp").put("drainMs", w.elapsedMs()).put("statuses", w.statuses().toString());
        }
        Map<String, String> before = digests(stack, drained);
        HeapSampler heap = new HeapSampler(api, stack.orchestrator().process().pid());
        heap.start();
        int vms = before.size();
        say("draining %s at once (%d VMs)", drained, vms);
        List<Long> agentPids = stack.agents().values().stream().map(a -> a.process().pid()).toList();
        long orchestratorPid = stack.orchestrator().process().pid();
        DrainRun scale;
        ObjectNode usage = Rest.JSON.createObjectNode();
        try (Connection c = DriverManager.getConnection(stack.db.jdbcUrl(), stack.db.username(), stack.db.password())) {
            Usage.Snapshot u0 = Usage.take(orchestratorPid, agentPids, c);
            scale = drainAll(api, stack, drained, "LARGEST_FIRST", Duration.ofMinutes(20));
            Usage.report(u0, Usage.take(orchestratorPid, agentPids, c), usage);
        }
        heap.stop();
        say("drained in %.1f s: %s", scale.elapsedMs() / 1000.0, scale.statuses());
        Map<String, String> after = digests(stack, receivers);
        s.put("hosts", drained.toString());
        analyse(stack, scale, before, after, heap, s);
        s.set("usage", usage);
    }

    static final int PROBE_INTERVAL_MS = 50;
    static final Duration IDLE_FLOOR_WINDOW = Duration.ofSeconds(10);

    /** The hop probe's probes so far (none when its file cannot be read yet). */
    private static List<HopProbe.Probe> probes(ScaleStack stack) {
        try {
            return HopProbe.read(stack.hopProbeFile());
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The hop probes sent in [from, to), once a probe sent after it arrived (one partition, so every probe before it did
     * too); none, saying why, when the probe was not started or stopped.
     */
    static List<HopProbe.Probe> probesSentIn(ScaleStack stack, Instant from, Instant to) throws InterruptedException {
        if (stack.hopProbeFile() == null) {
            return List.of();
        }
        try {
            stack.waitFor("a hop probe sent after " + to, Duration.ofSeconds(30),
                    () -> probes(stack).stream().anyMatch(p -> p.sent().isAfter(to)));
        } catch (IllegalStateException e) {
            say("no hop floor for %s..%s: %s (see %s)", from, to, e.getMessage(), stack.runDir().resolve("logs"));
            return List.of();
        }
        return HopProbe.sentIn(probes(stack), from, to);
    }

    /** Puts the floor (each probe sent to received) under {@code key} and its commit part under {@code commitKey}. */
    private static Percentiles putFloor(ObjectNode node, String key, String commitKey, List<HopProbe.Probe> probes) {
        Percentiles floor = Percentiles.of(probes.stream().mapToDouble(HopProbe.Probe::millis).toArray());
        put(node, key, floor);
        put(node, commitKey, Percentiles.of(probes.stream().mapToDouble(HopProbe.Probe::commitMillis).toArray()));
        return floor;
    }

    /** After ÷ before of the figures a fix should move (below 1 is better for times, above 1 for rates). */
    static ObjectNode ratios(JsonNode before, JsonNode after) {
        ObjectNode r = Rest.JSON.createObjectNode();
        r.put("drainMs", after.path("drainMs").asDouble() / before.path("drainMs").asDouble());
        r.put("migrationsPerMinute", after.path("migrationsPerMinute").asDouble()
                / before.path("migrationsPerMinute").asDouble());
        for (String k : List.of("stageHopMs", "stageHopToPublishedMs", "stageHopPublishedToReceivedMs",
                "admittedToCompletedMs")) {
            r.put(k + "P50", after.path(k).path("p50").asDouble() / before.path(k).path("p50").asDouble());
            r.put(k + "P99", after.path(k).path("p99").asDouble() / before.path(k).path("p99").asDouble());
        }
        r.put("orchestratorCpuSeconds", after.path("usage").path("cpuSeconds").path("orchestrator").asDouble()
                / before.path("usage").path("cpuSeconds").path("orchestrator").asDouble());
        r.put("commitsPerSecond", after.path("usage").path("commitsPerSecond").asDouble()
                / before.path("usage").path("commitsPerSecond").asDouble());
        return r;
    }

    private static List<String> hosts(String prefix, int n) {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add(String.format(Locale.ROOT, "%s%02d", prefix, i));
        }
        return hosts;
    }

    private static String vms(String host, int n, int mb) {
        List<String> vms = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            vms.add(String.format(Locale.ROOT, "%s-vm%03d:%d", host, i, mb));
        }
        return String.join(",", vms);
    }

    /** VMs named in the given order, so the host lists them (by name) in that order. */
    private static String sized(String host, List<Integer> sizes) {
        List<String> vms = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            vms.add(String.format(Locale.ROOT, "%s-vm%02d:%d", host, i + 1, sizes.get(i)));
        }
        return String.join(",", vms);
    }

    private static int count(Rest api, String path) {
        try {
            return api.get(path).size();
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The drains started together and followed to their end. */
    record DrainRun(List<UUID> ids, Instant startedAt, long elapsedMs, Map<String, String> statuses,
            Map<UUID, JsonNode> views) {}

    private static DrainRun drainAll(Rest api, ScaleStack stack, List<String> hosts, String order, Duration timeout)
            throws Exception {
        return drainAll(api, stack, hosts, order, 0, timeout);
    }

    /** @param bandwidthMbps each move's link cap, 0: none */
    private static DrainRun drainAll(Rest api, ScaleStack stack, List<String> hosts, String order, int bandwidthMbps,
            Duration timeout) throws Exception {
        List<UUID> ids = new ArrayList<>();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        for (String h : hosts) {
            ids.add(UUID.fromString(api.post("/api/hosts/" + h + "/drain?order=" + order
                    + (bandwidthMbps > 0 ? "&bandwidthMbps=" + bandwidthMbps : "")).path("drainId").asString()));
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        Map<UUID, JsonNode> views = new LinkedHashMap<>();
        long deadline = t0 + timeout.toNanos();
        long lastSaid = t0;
        // Followed in the database, one query a poll: GET /api/drains/{id} reads every move's migration, and asking it
        // often would load the orchestrator being measured. The views are fetched once, at the end.
        try (Connection c = DriverManager.getConnection(stack.db.jdbcUrl(), stack.db.username(), stack.db.password());
                PreparedStatement q = c.prepareStatement("select count(*) filter (where status = 'DRAINING'), "
                        + "coalesce(sum(jsonb_array_length(view->'moves')), 0), "
                        + "(select count(*) from migrations where drain_id = any(?) and state in ('COMPLETED', 'FAILED', "
                        + "'CANCELLED', 'ROLLED_BACK')) from drains where drain_id = any(?)")) {
            java.sql.Array array = c.createArrayOf("uuid", ids.toArray());
            q.setArray(1, array);
            q.setArray(2, array);
            while (true) {
                stack.checkAlive();
                long running, total, done;
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    running = rs.getLong(1);
                    total = rs.getLong(2);
                    done = rs.getLong(3);
                }
                if (running == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("drains of " + hosts + " still running after " + timeout);
                }
                if (System.nanoTime() - lastSaid > TimeUnit.SECONDS.toNanos(15)) {
                    say("  %d of %d VMs moved after %.0f s", done, total, (System.nanoTime() - t0) / 1e9);
                    lastSaid = System.nanoTime();
                }
                Thread.sleep(200);
            }
        }
        for (UUID id : ids) {
            JsonNode v = api.get("/api/drains/" + id);
            views.put(id, v);
            statuses.put(v.path("host").asString(), v.path("status").asString());
        }
        // the drains' own record of when they ended, not this poll's
        Instant end = views.values().stream().map(v -> Instant.parse(v.path("endedAt").asString()))
                .max(Instant::compareTo).orElseThrow();
        Instant start = views.values().stream().map(v -> Instant.parse(v.path("startedAt").asString()))
                .min(Instant::compareTo).orElseThrow();
        return new DrainRun(ids, started, Duration.between(start, end).toMillis(), statuses, views);
    }

    private static void orderFigures(DrainRun run, String key, ObjectNode order) {
        JsonNode v = run.views().values().iterator().next();
        ObjectNode o = order.putObject(key);
        o.put("host", v.path("host").asString()).put("status", v.path("status").asString())
                .put("drainMs", run.elapsedMs()).put("predictedMs", v.path("predictedMs").asLong())
                .put("moved", v.path("vms").path("moved").asInt());
        ArrayNode moves = o.putArray("moves");
        for (JsonNode m : v.path("moves")) {
            moves.addObject().put("order", m.path("order").asInt()).put("vmId", m.path("vmId").asString())
                    .put("memoryMb", m.path("memoryMb").asInt()).put("destination", m.path("destination").asString())
                    .put("status", m.path("status").asString());
        }
    }

    /** Each guest's memory digest, read now by its agent (GET /inspect/vms). */
    private static Map<String, String> digests(ScaleStack stack, List<String> hosts) throws Exception {
        Map<String, String> digests = new HashMap<>();
        for (String h : hosts) {
            Rest agent = new Rest("http://127.0.0.1:" + stack.agents().get(h).port(), null, null);
            for (JsonNode g : agent.get("/inspect/vms")) {
                if ("RUNNING".equals(g.path("state").asString())) {
                    digests.put(g.path("vmId").asString(), g.path("memoryDigest").asString(null));
                }
            }
        }
        return digests;
    }

    private static final Pattern RECEIPT = Pattern.compile("received command (\\S+) (\\S+) for migration (\\S+) at (\\S+)");

    private static void analyse(ScaleStack stack, DrainRun run, Map<String, String> before, Map<String, String> after,
            HeapSampler heap, ObjectNode s) throws Exception {
        Map<String, Instant> received = new HashMap<>();
        for (ScaleStack.App agent : stack.agents().values()) {
            for (String line : Files.readAllLines(agent.log())) {
                Matcher m = RECEIPT.matcher(line);
                if (m.find()) {
                    received.put(m.group(1), Instant.parse(m.group(4)));
                }
            }
        }
        try (Connection c = DriverManager.getConnection(stack.db.jdbcUrl(), stack.db.username(), stack.db.password())) {
            // the drains' migrations, their events and their command rows in the outbox
            Map<UUID, String> state = new HashMap<>();
            Map<UUID, String> vmOf = new HashMap<>();
            UUID[] drains = run.ids().toArray(UUID[]::new);
            try (PreparedStatement q = c.prepareStatement(
                    "select migration_id, vm_id, state from migrations where drain_id = any(?)")) {
                q.setArray(1, c.createArrayOf("uuid", drains));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        vmOf.put(id, rs.getString(2));
                        state.put(id, rs.getString(3));
                    }
                }
            }
            List<Hops.Event> events = new ArrayList<>();
            Map<UUID, List<Integer>> versions = new HashMap<>();
            Map<UUID, String> lastType = new HashMap<>();
            Map<UUID, String> sourceChecksum = new HashMap<>();
            Map<UUID, String> destChecksum = new HashMap<>();
            Map<UUID, Instant> requested = new HashMap<>();
            Map<UUID, Instant> admitted = new HashMap<>();
            Map<UUID, Instant> completed = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("""
                    select e.migration_id, e.version, e.type, e.recorded_at, e.actor, e.payload_json->>'commandId',
                        e.payload_json->>'action', e.payload_json->>'memoryChecksum'
                    from migration_events e join migrations m using (migration_id)
                    where m.drain_id = any(?) order by e.migration_id, e.version""")) {
                q.setArray(1, c.createArrayOf("uuid", drains));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        int version = rs.getInt(2);
                        String type = rs.getString(3);
                        Instant at = rs.getTimestamp(4).toInstant();
                        events.add(new Hops.Event(id, version, type, at, rs.getString(5), rs.getString(6),
                                rs.getString(7)));
                        versions.computeIfAbsent(id, k -> new ArrayList<>()).add(version);
                        lastType.put(id, type);
                        switch (type) {
                            case "MigrationRequested" -> requested.put(id, at);
                            case "MigrationAdmitted" -> admitted.put(id, at);
                            case "MigrationCompleted" -> completed.put(id, at);
                            case "FinalCopyCompleted" -> sourceChecksum.put(id, rs.getString(8));
                            case "VmResumed" -> destChecksum.put(id, rs.getString(8));
                            default -> { }
                        }
                    }
                }
            }
            Map<UUID, List<Instant>> commandRows = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("select message_key, published_at from outbox "
                    + "where topic like 'ferry.agent-commands.%' order by id");
                    ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    UUID id;
                    try {
                        id = UUID.fromString(rs.getString(1));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    java.sql.Timestamp p = rs.getTimestamp(2);
                    commandRows.computeIfAbsent(id, k -> new ArrayList<>()).add(p == null ? null : p.toInstant());
                }
            }
            Hops.Result hops = Hops.pair(events, received, Hops.publishedByCommand(events, commandRows));

            // every migration: COMPLETED, versions 1..n without a gap, ends on MigrationCompleted, checksums agree,
            // and the memory running on the destination has the digest it had on the source before the drain
            int migrations = state.size(), completedOk = 0, contiguous = 0, checksumsAgree = 0, digestsAgree = 0;
            List<String> problems = new ArrayList<>();
            for (UUID id : state.keySet()) {
                if ("COMPLETED".equals(state.get(id))) {
                    completedOk++;
                } else {
                    problems.add(id + " ended " + state.get(id));
                }
                List<Integer> v = versions.getOrDefault(id, List.of());
                boolean gapless = !v.isEmpty() && "MigrationCompleted".equals(lastType.get(id));
                for (int i = 0; i < v.size() && gapless; i++) {
                    gapless = v.get(i) == i + 1;
                }
                if (gapless) {
                    contiguous++;
                } else {
                    problems.add(id + " history not contiguous or not ended by MigrationCompleted: " + v);
                }
                String src = sourceChecksum.get(id);
                if (src != null && src.equals(destChecksum.get(id))) {
                    checksumsAgree++;
                } else {
                    problems.add(id + " checksums differ: " + src + " / " + destChecksum.get(id));
                }
                String vm = vmOf.get(id);
                if (before.get(vm) != null && before.get(vm).equals(after.get(vm))) {
                    digestsAgree++;
                } else {
                    problems.add(vm + " digest before " + before.get(vm) + ", after " + after.get(vm));
                }
            }
            s.put("migrations", migrations).put("completed", completedOk).put("contiguousHistories", contiguous)
                    .put("checksumsAgree", checksumsAgree).put("digestsAgree", digestsAgree);
            s.put("allVerified", migrations > 0 && completedOk == migrations && contiguous == migrations
                    && checksumsAgree == migrations && digestsAgree == migrations);
            ArrayNode p = s.putArray("problems");
            problems.stream().limit(20).forEach(p::add);

            s.put("drainMs", run.elapsedMs());
            Instant first = requested.values().stream().min(Instant::compareTo).orElse(run.startedAt());
            Instant last = completed.values().stream().max(Instant::compareTo).orElse(Instant.now());
            double minutes = Duration.between(first, last).toMillis() / 60_000.0;
            s.put("migrationsPerMinute", completedOk / minutes);
            List<Double> waits = new ArrayList<>();
            List<Double> totals = new ArrayList<>();
            for (UUID id : admitted.keySet()) {
                if (requested.containsKey(id)) {
                    waits.add(Hops.between(requested.get(id), admitted.get(id)));
                }
                if (completed.containsKey(id)) {
                    totals.add(Hops.between(admitted.get(id), completed.get(id)));
                }
            }
            put(s, "queueWaitMs", Percentiles.of(waits));
            put(s, "admittedToCompletedMs", Percentiles.of(totals));
            put(s, "stageHopMs", Percentiles.of(hops.hops().stream().map(Hops.Hop::millis).toList()));
            put(s, "stageHopToPublishedMs", Percentiles.of(hops.hops().stream().map(Hops.Hop::toPublishedMillis)
                    .filter(d -> !d.isNaN()).toList()));
            put(s, "stageHopPublishedToReceivedMs", Percentiles.of(hops.hops().stream()
                    .map(Hops.Hop::publishedToReceivedMillis).filter(d -> !d.isNaN()).toList()));
            s.put("hopsUnreceived", hops.unreceived().size());
            Hops.write(hops.hops(), stack.runDir().resolve("hops-" + String.join("-", s.path("hosts").asString("drain")
                    .replaceAll("[^a-z0-9,]", "").split(",")) + ".csv"));
            Percentiles floor = putFloor(s, "hopFloorMs", "hopFloorCommitMs",
                    probesSentIn(stack, run.startedAt(), run.startedAt().plusMillis(run.elapsedMs())));
            s.put("stageHopOverFloorP99", s.path("stageHopMs").path("p99").asDouble() / floor.p99());
            ObjectNode byAction = s.putObject("stageHopMsByCommand");
            hops.hops().stream().collect(java.util.stream.Collectors.groupingBy(h -> h.outcomeType() + "->" + h.action(),
                    java.util.TreeMap::new, java.util.stream.Collectors.mapping(Hops.Hop::millis,
                            java.util.stream.Collectors.toList())))
                    .forEach((k, v) -> put(byAction, k, Percentiles.of(v)));
            // appends during the drain: every event of every migration and drain, over the drain's own time
            try (PreparedStatement q = c.prepareStatement("select (select count(*) from migration_events "
                    + "where recorded_at between ? and ?) + (select count(*) from drain_events where recorded_at between ? and ?)")) {
                java.sql.Timestamp a = java.sql.Timestamp.from(first), b = java.sql.Timestamp.from(last);
                q.setTimestamp(1, a);
                q.setTimestamp(2, b);
                q.setTimestamp(3, a);
                q.setTimestamp(4, b);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    s.put("eventsAppended", n).put("eventAppendsPerSecond", n / (minutes * 60));
                }
            }
        }
        heap.report(s.putObject("orchestratorHeap"));
    }

    static void put(ObjectNode node, String key, Percentiles p) {
        node.putObject(key).put("count", p.count()).put("p50", round(p.p50())).put("p99", round(p.p99()))
                .put("max", round(p.max()));
    }

    private static double round(double d) {
        return Double.isNaN(d) ? d : Math.round(d * 100) / 100.0;
    }

    /** The orchestrator's heap in use, from its own Prometheus endpoint, once a second while the drain runs. */
    static final class HeapSampler {
        private final Rest api;
        private final long pid;
        private final List<double[]> samples = new CopyOnWriteArrayList<>(); // {seconds, heap bytes, rss bytes}
        private volatile boolean running;
        private Thread thread;
        private long t0;

        HeapSampler(Rest api, long pid) {
            this.api = api;
            this.pid = pid;
        }

        private double liveStart = Double.NaN, liveEnd = Double.NaN;

        /**
         * The heap in use right after a full collection (jcmd GC.run), i.e. what is live: sampled before and after the
         * drain, so "flat" is judged on what the orchestrator keeps, not on when ZGC happened to collect.
         */
        private double liveHeap() {
            try {
                Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
                Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(pid), "GC.run")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                    return Double.NaN;
                }
                return heapNow();
            } catch (Exception e) {
                return Double.NaN;
            }
        }

        private double heapNow() throws IOException, InterruptedException {
            double heap = 0;
            for (String line : api.text("/actuator/prometheus").split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return heap;
        }

        void start() {
            liveStart = liveHeap();
            running = true;
            t0 = System.nanoTime();
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    try {
                        double heap = heapNow();
                        if (heap > 0) {
                            samples.add(new double[] {(System.nanoTime() - t0) / 1e9, heap, rss()});
                        }
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a sample missed: the next one comes
                    }
                }
            });
        }

        private double rss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux
            }
            return Double.NaN;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5000);
            liveEnd = liveHeap();
        }

        /** The series, and the heap's floor (lowest sample) in the first and the last quarter of the run. */
        void report(ObjectNode node) {
            List<double[]> all = List.copyOf(samples);
            node.put("samples", all.size());
            if (all.size() >= 8) {
                int q = all.size() / 4;
                double first = all.subList(0, q).stream().mapToDouble(x -> x[1]).min().orElse(Double.NaN);
                double last = all.subList(all.size() - q, all.size()).stream().mapToDouble(x -> x[1]).min()
                        .orElse(Double.NaN);
                node.put("firstQuarterFloorMiB", first / (1 << 20)).put("lastQuarterFloorMiB", last / (1 << 20))
                        .put("floorRatio", last / first);
            }
            node.put("liveBeforeMiB", liveStart / (1 << 20)).put("liveAfterMiB", liveEnd / (1 << 20))
                    .put("liveRatio", liveEnd / liveStart);
            node.put("maxMiB", all.stream().mapToDouble(x -> x[1]).max().orElse(Double.NaN) / (1 << 20));
            node.put("maxRssMiB", all.stream().mapToDouble(x -> x[2]).max().orElse(Double.NaN) / (1 << 20));
            ArrayNode series = node.putArray("series");
            int step = Math.max(1, all.size() / 60);
            for (int i = 0; i < all.size(); i += step) {
                series.addArray().add(Math.round(all.get(i)[0])).add(Math.round(all.get(i)[1] / (1 << 20)))
                        .add(Math.round(all.get(i)[2] / (1 << 20)));
            }
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    public static String table(JsonNode scale) {
        return ScaleTargets.table(scale);
    }
}
