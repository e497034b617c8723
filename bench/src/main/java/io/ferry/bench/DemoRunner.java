package io.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code ./ferry demo --json} for a scenario; its stderr (progress) goes to a log file per run. */
final class DemoRunner {
    private static final long TIMEOUT_MINUTES = 10;
    private static final int STDERR_TAIL_LINES = 25;

    private final Path ferry;
    private final Path logDir;
    private final int memoryMb;
    private final JsonMapper json = JsonMapper.builder().build();

    DemoRunner(Path ferry, Path logDir, int memoryMb) {
        this.ferry = ferry;
        this.logDir = logDir;
        this.memoryMb = memoryMb;
    }

    List<String> command(Scenario s) {
        List<String> command = new ArrayList<>(List.of(ferry.toString(), "demo", "--json",
                "--memory", Integer.toString(memoryMb), "--workload", s.workloadSpec()));
        command.addAll(s.policy());
        if (s.capped()) {
            command.addAll(List.of("--bandwidth", Integer.toString(s.bandwidthMbps())));
        }
        return command;
    }

    Run run(Scenario s, int attempt) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(s.name() + "-" + attempt + ".log");
        List<String> command = command(s);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        process.getOutputStream().close();
        String stdout;
        try (InputStream in = process.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return Run.failed(s, attempt, "ferry demo did not finish within " + TIMEOUT_MINUTES + " minutes" + tail(log));
        }
        int exit = process.exitValue();
        JsonNode demo = lastJsonLine(stdout);
        // exit 2 with a summary = the migration ran and FAILED: a result, not a bench error
        if (demo == null || (exit != 0 && exit != 2)) {
            return Run.failed(s, attempt, "`" + String.join(" ", command) + "` exited " + exit
                    + (demo == null ? " without a JSON summary" : "") + tail(log));
        }
        return new Run(s, attempt, demo, null);
    }

    private JsonNode lastJsonLine(String stdout) {
        List<String> lines = stdout.lines().map(String::strip).filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(lines.getLast());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> tail = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
            return "; stderr tail (" + log + "):\n    " + String.join("\n    ", tail);
        } catch (IOException e) {
            return "; no stderr log at " + log;
        }
    }
}
