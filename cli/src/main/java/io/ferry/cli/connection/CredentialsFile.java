package io.ferry.cli.connection;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The development credentials {@code ./ferry up} writes for the CLI: {@code $FERRY_HOME/.ferry/up/credentials.properties}
 * with keys {@code url}, {@code operator.user}, {@code operator.password}, {@code viewer.user}, {@code viewer.password}.
 */
public record CredentialsFile(String url, String operatorUser, String operatorPassword, String viewerUser,
        String viewerPassword) {

    /** Where {@code up} writes it: under FERRY_HOME (exported by ./ferry), else the current directory. */
    public static Path location(Map<String, String> env) {
        String home = env.get("FERRY_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize()
                .resolve(".ferry").resolve("up").resolve("credentials.properties");
    }

    public static Optional<CredentialsFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new CredentialsFile(p.getProperty("url"), p.getProperty("operator.user"),
                p.getProperty("operator.password"), p.getProperty("viewer.user"), p.getProperty("viewer.password")));
    }

    /** Writes the file readable by its owner only (600), replacing an older one atomically. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix ? Files.createTempFile(file.getParent(), "credentials", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(file.getParent(), "credentials", ".tmp");
        // Plain key=value lines (no escaping needed: url-safe passwords), so a person can read them too.
        Files.writeString(tmp, """
                # Development credentials of ./ferry up, valid while it runs. Not for production.
                url=%s
                operator.user=%s
                operator.password=%s
                viewer.user=%s
                viewer.password=%s
                """.formatted(url, operatorUser, operatorPassword, viewerUser, viewerPassword), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "CredentialsFile[" + url + ", " + operatorUser + ", " + viewerUser + "]"; // never the passwords
    }
}
