package io.ferry.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;

/**
 * TLS with a pre-shared key on QEMU's migration stream, the key being the migration's one-time data-channel token:
 * only the two hosts the orchestrator gave the token to can open the stream, and it is encrypted. QEMU reads the
 * key from a {@code keys.psk} file (mode 600, in the run directory) which is deleted when the migration ends here.
 */
final class QemuTls {
    private static final String USER = "ferry";

    private QemuTls() {}

    /** @param endpoint "server" on the destination, "client" on the source */
    static void enable(QemuVm vm, Path runDir, String migrationId, String token, String endpoint) {
        if (token == null || token.isBlank()) {
            throw new QmpException("object-add", "GenericError", "no data-channel token for migration " + migrationId
                    + ": the QEMU stream is only opened with one (the orchestrator puts it in the setup commands)");
        }
        Path dir = dir(runDir, migrationId);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path keys = dir.resolve("keys.psk");
            Files.writeString(keys, USER + ":" + HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8)) + "\n");
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TLS key of migration " + migrationId + " to " + dir, e);
        }
        String id = "ferry-tls";
        try {
            vm.qmp().execute("object-del", Map.of("id", id)); // left by an earlier migration of this guest that failed
        } catch (QmpException none) {
            // the usual case: there was none
        }
        Map<String, Object> creds = new java.util.HashMap<>(Map.of("qom-type", "tls-creds-psk", "id", id,
                "dir", dir.toString(), "endpoint", endpoint));
        if (endpoint.equals("client")) {
            creds.put("username", USER); // the server looks the key up by this name in its keys.psk
        }
        vm.qmp().execute("object-add", creds);
        vm.qmp().execute("migrate-set-parameters", Map.of("tls-creds", id));
    }

    /** Deletes the key file of a migration that ended on this host (QEMU needs it only for the handshake). */
    static void forget(Path runDir, String migrationId) {
        Path dir = dir(runDir, migrationId);
        try {
            Files.deleteIfExists(dir.resolve("keys.psk"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the TLS key of migration " + migrationId + " in " + dir, e);
        }
    }

    private static Path dir(Path runDir, String migrationId) {
        return runDir.resolve("tls").resolve(migrationId);
    }
}
