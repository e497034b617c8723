package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops and resumes the processes of a test's own embedded PostgreSQL (never the machine's shared one), as a frozen
 * VM or a cut network would make it stop answering.
 */
final class PausedPostgres implements AutoCloseable {
    private final List<ProcessHandle> processes;

    private PausedPostgres(List<ProcessHandle> processes) {
        this.processes = processes;
    }

    /** SIGSTOP to the postmaster of {@code dataDir}/pgdata first (so it forks no more), then to each of its children. */
    static PausedPostgres pause(Path dataDir) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("pgdata").resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        signal("STOP", List.of(postmaster));
        List<ProcessHandle> children = postmaster.descendants().toList();
        signal("STOP", children);
        all.addAll(children);
        return new PausedPostgres(all);
    }

    /** SIGCONT in the reverse order. */
    @Override
    public void close() throws Exception {
        signal("CONT", processes.reversed());
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        if (processes.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        assertThat(kill.waitFor()).as("kill -%s: %s", signal, output).isZero();
    }
}
