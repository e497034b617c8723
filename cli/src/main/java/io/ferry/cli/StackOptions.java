package io.ferry.cli;

import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by demo and up. */
final class StackOptions {
    @Option(names = "--memory", description = "Memory of VM SERVER2 in MB (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int memoryMb;

    @Option(names = "--workload", paramLabel = "SPEC", description = "What the guest does to its memory while it runs: idle, "
            + "uniform:N, hotset:N[:FRACTION[:SHARE]], sweep:N or heavy[:N], N page writes a second (default: ${DEFAULT-VALUE}).",
            defaultValue = "uniform:2000")
    String workload;

    @Option(names = "--driver", description = "The agents' hypervisor: simulated (default) or qemu (real QEMU guests, TCG; "
            + "needs qemu-system-x86, qemu-utils and busybox-static).", defaultValue = "simulated")
    String driver;

    @Option(names = "--db-url", description = "Use this PostgreSQL (JDBC URL) instead of an embedded one.",
            defaultValue = "${env:FERRY_DB_URL}")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:FERRY_DB_USER:-postgres}")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:FERRY_DB_PASSWORD:-}")
    String dbPassword;

    static Path home() {
        String home = System.getenv("FERRY_HOME");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    /**
     * An option that cannot work, found before anything starts: a stack of four processes should not come up only for
     * an agent to die on its workload spec.
     */
    static final class InvalidOption extends IllegalArgumentException {
        InvalidOption(String option, String message) {
            super(option + ": " + message);
        }
    }

    /** @throws InvalidOption naming the option and the forms it accepts */
    Stack.Options toOptions(String runName, int kafkaPort, int restPort) {
        if (memoryMb < 1 || memoryMb > 65_536) {
            throw new InvalidOption("--memory", "must be between 1 and 65536 MB, got " + memoryMb);
        }
        try {
            GuestWorkload.parse(workload); // the agents' own parser, so the CLI accepts exactly what they run
        } catch (IllegalArgumentException e) {
            throw new InvalidOption("--workload", e.getMessage());
        }
        if (!driver.equals("simulated") && !driver.equals("qemu")) {
            throw new InvalidOption("--driver", "must be simulated or qemu, got '" + driver + "'");
        }
        Path home = home();
        return new Stack.Options(home, home.resolve(".ferry").resolve(runName), kafkaPort, restPort, memoryMb, dbUrl, dbUser,
                dbPassword, workload.strip(), driver);
    }
}
