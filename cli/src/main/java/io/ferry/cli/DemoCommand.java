package io.ferry.cli;

import io.ferry.cli.commands.MigrationText;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.output.Downtime;
import io.ferry.schema.AvroCodec;
import io.ferry.schema.MigrationStatus;
import io.ferry.schema.request.MigrationRequest;
import io.ferry.schema.common.Compression;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** One live migration of SERVER2 from hv-01 to hv-02 on an embedded stack, start to finish, then everything stops. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded stack, migrate SERVER2 from hv-01 to hv-02 live, print every stage, stop.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** picocli's exit code for a usage error. */
    static final int USAGE = CommandLine.ExitCode.USAGE;

    @Mixin
    StackOptions stackOptions = new StackOptions();

    @Option(names = "--bandwidth", paramLabel = "Mbps", description = "Cap the migration link (e.g. 1000 for 1 GbE); 0 = uncapped.")
    Integer bandwidthMbps;

    @Option(names = "--max-downtime", paramLabel = "ms", description = "Longest acceptable pause (default 300, QEMU's).")
    Long maxDowntimeMs;

    @Option(names = "--max-rounds", description = "Most pre-copy rounds (default 10, as Hyper-V R2).")
    Integer maxRounds;

    @Option(names = "--auto-converge", description = "Throttle a guest that dirties memory faster than the link carries it.")
    boolean autoConverge;

    @Option(names = "--compression", description = "NONE, LZ4 or ZSTD (default NONE).")
    Compression compression;

    @Option(names = "--json", description = "Print one machine-readable summary object on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--warm-up", paramLabel = "N", description = "First migrate SERVER2 to hv-02 and back N times (default 0), "
            + "as long-running agents and an orchestrator would have done before, then run and report the measured migration. "
            + "Warm-ups run uncapped (--bandwidth applies to the measured one): they warm the JVMs, and at 1 Gbit/s a 1 GiB "
            + "guest's round trip alone takes 20 s.")
    int warmUpRoundTrips;

    @Option(names = "--remedy", description = "When the migration does not converge (NOT_CONVERGING, or out of its "
            + "completion time in pre-copy), ask its what-if which policy would "
            + "have converged (the bandwidth, else auto-converge, else the downtime limit the model names) and migrate "
            + "again under it; the summary reports both (remedy).")
    boolean remedy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Stack.Options options;
        try {
            options = validOptions();
        } catch (StackOptions.InvalidOption e) {
            spec.commandLine().getErr().println("ferry demo: " + e.getMessage());
            return USAGE;
        }
        PrintStream out = json ? System.err : System.out;
        out.println("ferry demo: starting Kafka, PostgreSQL, the orchestrator and agents hv-01, hv-02"
                + (stackOptions.driver.equals("qemu") ? " with QEMU guests" : ""));
        try (Stack stack = Stack.start(options, out)) {
            FerryClient api = stack.client();
            List<JsonNode> warmUps = new ArrayList<>();
            JsonNode estimate = null;
            for (int i = 1; i <= warmUpRoundTrips; i++) {
                for (String to : List.of(Stack.DESTINATION, Stack.SOURCE)) {
                    JsonNode warm = follow(stack, api, submit(stack, to, policy(null)), new PrintStream(java.io.OutputStream.nullOutputStream()));
                    out.printf("warm-up %d/%d: SERVER2 -> %s %s in %d ms, downtime %d ms%n", i, warmUpRoundTrips, to,
                            warm.path("state").asString(), warm.path("totalMs").asLong(), warm.path("downtimeMs").asLong());
                    if (!warm.path("state").asString().equals(MigrationStatus.COMPLETED.name())) {
                        out.println("ferry demo: a warm-up migration ended " + warm.path("state").asString() + " ("
                                + warm.path("failureReason").asString("") + "): " + warm.path("failureDetail").asString(""));
                        return 2;
                    }
                    // its round 1, as the measured migration's: the estimate learns the link from these
                    warmUps.add(withRoundOne(warm, api.get("/api/migrations/" + warm.path("migrationId").asString() + "/history")));
                    // the next leg starts as the measured one does, once the guest's new host has sampled it: back to
                    // back, each leg began while both hosts still settled the last one's arrival and departure, and
                    // ran slower than the measured migration the estimate learns them for
                    estimate = awaitSample(api);
                }
            }
            if (warmUps.isEmpty()) {
                estimate = awaitSample(api);
            }
            if (estimate != null) {
                out.println("estimate: " + io.ferry.cli.output.EstimateText.verdict(estimate)
                        + (estimate.path("sample").isObject() ? "" : " (" + estimate.path("note").asString() + ")"));
            }
            String requestId = submit(stack, Stack.DESTINATION, policy(bandwidthMbps));
            out.printf("%nsubmitted request %s to ferry.migration-requests: SERVER2 (%d MB) hv-01 -> hv-02%n%n",
                    requestId, stackOptions.memoryMb);
            JsonNode migration = follow(stack, api, requestId, out);
            String id = migration.path("migrationId").asString();
            boolean completed = migration.path("state").asString().equals(MigrationStatus.COMPLETED.name());
            JsonNode history = api.get("/api/migrations/" + id + "/history");
            JsonNode remedied = null;
            // the orchestrator's own verdict (a pre-copy out of its completion time did not converge either)
            if (remedy && Boolean.FALSE.equals(DemoRemedy.converged(migration))) {
                remedied = DemoRemedy.tryIt(api, id, policy(bandwidthMbps),
                        p -> follow(stack, api, submit(stack, Stack.DESTINATION, p), out), out);
            }
            if (json) {
                System.out.println(summaryJson(migration, history, stack, warmUps, remedied));
            } else {
                printSummary(migration);
                printHistory(history);
            }
            if (!completed) {
                out.println("\nmigration " + id + " ended " + migration.path("state").asString() + ": "
                        + migration.path("failureReason").asString("") + " - " + migration.path("failureDetail").asString(""));
            }
            out.println("\nstopping the stack");
            return completed ? 0 : 2;
        }
    }

    /**
     * Every option checked before anything starts, with the orchestrator's bounds: a request it refuses on the topic
     * would otherwise leave the demo waiting for a migration that never comes.
     */
    Stack.Options validOptions() {
        if (bandwidthMbps != null && bandwidthMbps < 0) {
            throw new StackOptions.InvalidOption("--bandwidth", "must be 0 (uncapped) or more Mbps, got " + bandwidthMbps);
        }
        if (maxDowntimeMs != null && (maxDowntimeMs < 1 || maxDowntimeMs > 60_000)) {
            throw new StackOptions.InvalidOption("--max-downtime", "must be between 1 and 60000 ms, got " + maxDowntimeMs);
        }
        if (warmUpRoundTrips < 0 || warmUpRoundTrips > 20) {
            throw new StackOptions.InvalidOption("--warm-up", "must be between 0 and 20 round trips, got " + warmUpRoundTrips);
        }
        if (maxRounds != null && (maxRounds < 1 || maxRounds > 1000)) {
            throw new StackOptions.InvalidOption("--max-rounds", "must be between 1 and 1000, got " + maxRounds);
        }
        return stackOptions.toOptions("demo", 0, 0);
    }

    private String summaryJson(JsonNode m, JsonNode history, Stack stack, List<JsonNode> warmUps, JsonNode remedied) {
        var node = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        node.put("migrationId", m.path("migrationId").asString());
        node.put("state", m.path("state").asString());
        node.put("failureReason", m.path("failureReason").isNull() ? null : m.path("failureReason").asString());
        node.put("totalMs", m.path("totalMs").asLong());
        node.put("downtimeMs", m.path("downtimeMs").asLong());
        // Microseconds per phase, as the status gives it; null when the agents did not measure it.
        if (m.path("downtimeBreakdown").isObject()) {
            node.set("downtimeBreakdown", m.get("downtimeBreakdown"));
        } else {
            node.putNull("downtimeBreakdown");
        }
        node.put("rounds", m.path("rounds").asInt());
        // What the model predicted at request time, and the actual beside it (the bench judges its accuracy).
        if (m.path("estimate").isObject()) {
            node.set("estimate", m.get("estimate"));
        } else {
            node.putNull("estimate");
        }
        node.put("bytesSent", m.path("bytesSent").asLong());
        node.put("pagesSent", m.path("pagesSent").asLong());
        node.put("memoryBytes", (long) stackOptions.memoryMb << 20);
        node.put("bandwidthMbps", bandwidthMbps == null ? 0 : bandwidthMbps);
        putRoundOne(node, history);
        Long resumedAfter = resumedAfterMs(history);
        if (resumedAfter == null) {
            node.putNull("resumedAfterMs");
        } else {
            node.put("resumedAfterMs", resumedAfter);
        }
        if (remedied != null) {
            node.set("remedy", remedied);
        }
        var warm = node.putArray("warmUps");
        for (JsonNode w : warmUps) {
            warm.add(w);
        }
        for (Child child : stack.children()) {
            if (child.name.startsWith("agent-")) {
                node.put((child.name.endsWith(Stack.SOURCE) ? "source" : "destination") + "PeakRssBytes", child.peakRssBytes());
            }
        }
        return node.toString();
    }

    /** Round 1 streams every used page: the data plane's sustained throughput. */
    private static void putRoundOne(tools.jackson.databind.node.ObjectNode node, JsonNode history) {
        for (JsonNode entry : history) {
            JsonNode round = entry.path("payload").path("progress");
            if (entry.path("type").asString().equals("PrecopyRoundCompleted") && round.path("round").asInt() == 1) {
                node.put("precopyRound1Bytes", round.path("bytesSent").asLong());
                node.put("precopyRound1Ms", round.path("roundMs").asLong());
            }
        }
    }

    /** A warm-up as the summary lists it: state, total, downtime and its round 1. */
    private static JsonNode withRoundOne(JsonNode warm, JsonNode history) {
        var node = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        node.put("state", warm.path("state").asString()).put("totalMs", warm.path("totalMs").asLong())
                .put("downtimeMs", warm.path("downtimeMs").asLong());
        putRoundOne(node, history);
        return node;
    }

    /**
     * From the request to the VM running on the destination (the agent's own resume time): what QEMU's total time
     * measures, without the network cleanup and the source's stop that follow. Null when the VM never resumed.
     */
    static Long resumedAfterMs(JsonNode history) {
        Instant requested = null;
        for (JsonNode entry : history) {
            String type = entry.path("type").asString();
            if (type.equals("MigrationRequested")) {
                requested = Instant.parse(entry.path("recordedAt").asString());
            } else if (type.equals("VmResumed") && requested != null && entry.path("payload").path("resumedAt").isNumber()) {
                return entry.path("payload").path("resumedAt").asLong() - requested.toEpochMilli();
            }
        }
        return null;
    }

    /**
     * Waits (at most 30 s) until SERVER2's host has sampled it since it booted or arrived, so the next migration records
     * an estimate from the guest as it is; returns that estimate (null: none came).
     */
    private JsonNode awaitSample(FerryClient api) throws InterruptedException {
        String query = "/api/estimate" + io.ferry.cli.connection.Query.of().add("vm", "SERVER2")
                .add("bandwidthMbps", bandwidthMbps).add("maxDowntimeMs", maxDowntimeMs).add("maxRounds", maxRounds)
                .add("autoConverge", autoConverge ? Boolean.TRUE : null);
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode estimate = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                estimate = api.get(query);
                if (estimate.path("sample").isObject()) {
                    break;
                }
            } catch (io.ferry.cli.connection.ApiException e) {
                estimate = null; // SERVER2 is between hosts for a moment after a warm-up
            }
            Thread.sleep(250);
        }
        return estimate;
    }

    /** The options' policy with this cap (null: uncapped). */
    private DemoRemedy.Policy policy(Integer bandwidthMbps) {
        return new DemoRemedy.Policy(bandwidthMbps, maxDowntimeMs, autoConverge);
    }

    /** @return the request id */
    private String submit(Stack stack, String destination, DemoRemedy.Policy policy) throws Exception {
        String requestId = "demo-" + UUID.randomUUID();
        MigrationRequest request = MigrationRequest.newBuilder().setRequestId(requestId).setVmId("SERVER2")
                .setDestinationHost(destination).setRequestedBy(System.getProperty("user.name", "demo"))
                .setBandwidthMbps(policy.bandwidthMbps()).setMaxDowntimeMs(policy.maxDowntimeMs()).setMaxRounds(maxRounds)
                .setAutoConverge(policy.autoConverge() ? Boolean.TRUE : null).setCompression(compression).build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrap(),
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(io.ferry.schema.Topics.REQUESTS, requestId,
                    AvroCodec.of(MigrationRequest.class).encode(request))).get();
        }
        return requestId;
    }

    /** Prints each new event of the migration as it is recorded, until it ends. */
    private static JsonNode follow(Stack stack, FerryClient api, String requestId, PrintStream out) throws InterruptedException {
        Runnable eachTick = () -> {
            stack.checkAlive();
            stack.children().forEach(Child::sampleHugePages);
        };
        return new DemoFollower(eachTick, api, out, TIMEOUT).follow(requestId);
    }

    private static void printSummary(JsonNode m) {
        System.out.println();
        System.out.println("summary");
        System.out.printf("  state        %s%n", m.path("state").asString());
        System.out.printf("  total time   %d ms%n", m.path("totalMs").asLong());
        String breakdown = Downtime.line(m.get("downtimeBreakdown"));
        System.out.printf("  downtime     %s%n", breakdown != null ? breakdown : m.path("downtimeMs").asLong() + " ms");
        System.out.printf("  rounds       %d%n", m.path("rounds").asInt());
        System.out.printf("  pages sent   %,d%n", m.path("pagesSent").asLong());
        System.out.printf("  bytes sent   %,d (%.1f MiB)%n", m.path("bytesSent").asLong(), m.path("bytesSent").asLong() / 1048576.0);
    }

    private static void printHistory(JsonNode history) {
        System.out.println();
        System.out.println("audit history");
        System.out.printf("  %-4s %-24s %-22s %s%n", "ver", "recorded at", "actor", "event");
        for (JsonNode e : history) {
            System.out.printf("  %-4d %-24s %-22s %s%n", e.path("version").asInt(), e.path("recordedAt").asString(),
                    e.path("actor").asString(), e.path("type").asString());
        }
    }
}
