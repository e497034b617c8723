package io.ferry.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * {@code <dataDir>/ferry-postgres.pid}: which postgres postmaster serves this data dir and which JVM started it.
 * It lets the next start tell an orphan (owner gone, e.g. after {@code kill -9}) from a server another
 * live process is still using.
 */
record PostgresPidFile(long postgresPid, long ownerPid, int port) {

    static final String FILE_NAME = "ferry-postgres.pid";

    static Optional<PostgresPidFile> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
            return Optional.of(new PostgresPidFile(
                    Long.parseLong(props.getProperty("postgres.pid", "-1").strip()),
                    Long.parseLong(props.getProperty("owner.pid", "-1").strip()),
                    Integer.parseInt(props.getProperty("port", "0").strip())));
        } catch (IOException | NumberFormatException e) {
            // A half-written file from a crash tells us nothing; postmaster.pid is the fallback.
            return Optional.empty();
        }
    }

    void write(Path dataDir) {
        Properties props = new Properties();
        props.setProperty("postgres.pid", Long.toString(postgresPid));
        props.setProperty("owner.pid", Long.toString(ownerPid));
        props.setProperty("port", Integer.toString(port));
        Path file = dataDir.resolve(FILE_NAME);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(writer, "written by ferry devstack; postgres.pid is the postmaster, owner.pid the JVM that started it");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** The postmaster pid PostgreSQL itself records on the first line of {@code postmaster.pid}. */
    static OptionalLong postmasterPid(Path pgData) {
        Path file = pgData.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
