package io.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end benchmark: one {@code ferry demo --json} per scenario (workload x link), a raw loopback TCP baseline
 * measured in the same run, a table on stdout, bench/target/bench-results.json, and PASS/MISS against the targets.
 * Exit status: 0 when every run produced a summary (whatever the verdicts), 1 when a run failed to, 64 on bad usage.
 */
public final class Bench {
    private static final String USAGE = """
            usage: bench/run history [--events N]     one migration's history on a log of N events (default 2M)
                   bench/run [--memory MB] [--only NAME[,NAME...]] [--repeat N] [--loopback-gib N]
                             [--drivers-memory MB] [--drivers-dirty MiB]
              --memory MB       memory of VM SERVER2 (default 1024)
              --only NAME       run only scenarios matching NAME: a scenario (hotset-1g), a workload
                                (idle, uniform, hotset, heavy), a link (1g, uncapped), or drivers (the QEMU
                                and simulated driver pair); repeatable
              --repeat N        run each scenario N times; targets use the median (default 1)
              --loopback-gib N  bytes per loopback baseline transfer, best of 3 (default 2)
              --drivers-memory MB, --drivers-dirty MiB
                                the driver pair's guest memory and how much of it the QEMU guest rewrites
                                in a loop (default 256 and 64)
            """;
    static final String DRIVERS = "drivers";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("history")) {
            return HistoryQueries.run(Arrays.copyOfRange(args, 1, args.length));
        }
        int memoryMb = 1024;
        int repeat = 1;
        long loopbackBytes = 2L << 30;
        int driversMemoryMb = 256;
        int driversDirtyMb = 64;
        List<String> only = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--memory" -> memoryMb = Integer.parseInt(value(args, ++i));
                    case "--repeat" -> repeat = Integer.parseInt(value(args, ++i));
                    case "--loopback-gib" -> loopbackBytes = Long.parseLong(value(args, ++i)) << 30;
                    case "--only" -> only.addAll(Arrays.asList(value(args, ++i).split(",")));
                    case "--drivers-memory" -> driversMemoryMb = Integer.parseInt(value(args, ++i));
                    case "--drivers-dirty" -> driversDirtyMb = Integer.parseInt(value(args, ++i));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (memoryMb < 1 || repeat < 1 || loopbackBytes < 1 || driversMemoryMb < 1 || driversDirtyMb < 0
                    || driversDirtyMb >= driversMemoryMb) {
                throw new IllegalArgumentException("--memory, --repeat, --loopback-gib and --drivers-memory must be positive, "
                        + "and --drivers-dirty below --drivers-memory");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
            return 64;
        }
        boolean drivers = only.isEmpty() || only.contains(DRIVERS);
        List<String> demoFilters = only.stream().filter(o -> !o.equals(DRIVERS)).toList();
        List<Scenario> scenarios = only.isEmpty() || !demoFilters.isEmpty() ? Scenario.all().stream()
                .filter(s -> demoFilters.isEmpty() || demoFilters.stream().anyMatch(s::matches)).toList() : List.of();
        if (scenarios.isEmpty() && !drivers) {
            System.err.println("bench: --only " + only + " matches none of "
                    + Scenario.all().stream().map(Scenario::name).toList());
            return 64;
        }

        Path home = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
        Path ferry = home.resolve("ferry");
        Path target = home.resolve("bench").resolve("target");
        String problem = scenarios.isEmpty() ? null : missingDemoOptions(ferry);
        if (problem != null) {
            System.err.println("bench: " + problem);
            return 1;
        }

        Loopback.Result loopback = Loopback.Result.NOT_MEASURED;
        if (scenarios.stream().anyMatch(s -> !s.capped())) {
            System.err.printf("bench: measuring raw loopback TCP (best of 3 x %d MiB)%n", loopbackBytes >> 20);
            loopback = Loopback.bestOf(3, loopbackBytes);
            System.err.printf("bench: loopback %.0f MiB/s%n", loopback.bytesPerSec() / (1 << 20));
        }

        DemoRunner runner = new DemoRunner(ferry, target.resolve("bench-logs"), memoryMb);
        List<Run> runs = new ArrayList<>();
        int total = scenarios.size() * repeat;
        for (Scenario s : scenarios) {
            for (int attempt = 1; attempt <= repeat; attempt++) {
                System.err.printf("bench: [%d/%d] %s: %s%n", runs.size() + 1, total, s.name(), String.join(" ", runner.command(s)));
                long start = System.nanoTime();
                Run r = runner.run(s, attempt);
                runs.add(r);
                System.err.printf("bench:        %s in %d s%s%n", r.state(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        r.demo() == null ? "" : ": total " + r.totalMs() + " ms, downtime " + r.downtimeMs() + " ms, "
                                + r.rounds() + " rounds");
            }
        }

        DriverPair.Result pair = null;
        String pairError = null;
        if (drivers) {
            System.err.printf("bench: driver pair: a %d MB guest rewriting %d MiB, on QEMU then on the simulated driver%n",
                    driversMemoryMb, driversDirtyMb);
            try {
                pair = DriverPair.run(driversMemoryMb, driversDirtyMb, target.resolve("bench-drivers"));
            } catch (Exception | AssertionError e) {
                pairError = e.toString();
                System.err.println("bench: the driver pair failed: " + pairError);
            }
        }

        List<Targets.Verdict> verdicts = Targets.judge(runs, loopback.bytesPerSec());
        if (!scenarios.isEmpty()) {
            System.out.println();
            System.out.print(Report.table(runs, loopback.bytesPerSec(), repeat));
            System.out.println();
            System.out.print(Report.targets(verdicts));
            System.err.print(Report.errors(runs));
        }
        if (pair != null) {
            System.out.println();
            System.out.print(Report.drivers(pair));
        }

        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode json = Report.json(mapper, machine(mapper), memoryMb, loopback, runs, verdicts);
        if (pair != null) {
            json.set("drivers", Report.driversJson(mapper, pair));
        } else if (pairError != null) {
            json.putObject("drivers").put("error", pairError);
        }
        Files.createDirectories(target);
        Path results = target.resolve("bench-results.json");
        Files.writeString(results, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        System.err.println("bench: wrote " + results);
        return runs.stream().anyMatch(r -> r.error() != null) || pairError != null ? 1 : 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Why the ferry jars cannot run the scenarios (they predate an option), or null when they can. */
    private static String missingDemoOptions(Path ferry) throws IOException, InterruptedException {
        Process help = new ProcessBuilder(ferry.toString(), "demo", "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor();
        for (String option : List.of("--json", "--workload", "--bandwidth")) {
            if (!text.contains(option)) {
                return "`" + ferry + " demo --help` does not list " + option
                        + ": rebuild the jars (mvn -DskipTests install) or update the source. It printed:\n" + text;
            }
        }
        return null;
    }

    private static ObjectNode machine(JsonMapper mapper) {
        ObjectNode m = mapper.createObjectNode();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("javaVersion", System.getProperty("java.runtime.version"));
        m.put("javaVendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu", cpuModel());
        m.put("date", OffsetDateTime.now().toString());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
