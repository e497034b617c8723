package io.ferry.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by demo and up. */
final class StackOptions {
    @Option(names = "--memory", description = "Memory of VM SERVER2 in MB (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int memoryMb;

    @Option(names = "--writes-per-second", description = "Guest memory writes per second while it runs (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    long writesPerSecond;

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

    Stack.Options toOptions(String runName, int kafkaPort, int restPort) {
        if (memoryMb < 1 || memoryMb > 65_536) {
            throw new IllegalArgumentException("--memory must be between 1 and 65536 MB, got " + memoryMb);
        }
        if (writesPerSecond < 0) {
            throw new IllegalArgumentException("--writes-per-second must be 0 or more, got " + writesPerSecond);
        }
        Path home = home();
        return new Stack.Options(home, home.resolve(".ferry").resolve(runName), kafkaPort, restPort, memoryMb, dbUrl, dbUser,
                dbPassword, writesPerSecond);
    }
}
