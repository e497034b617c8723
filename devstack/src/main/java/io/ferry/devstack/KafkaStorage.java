package io.ferry.devstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats a KRaft log directory in-process: what {@code kafka-storage.sh format} does, without the script.
 * A directory that already holds {@code meta.properties} is left alone, so data and cluster id survive restarts.
 */
final class KafkaStorage {

    private KafkaStorage() {
    }

    static boolean isFormatted(Path logDir) {
        return Files.exists(logDir.resolve("meta.properties"));
    }

    /** Formats logDir for a fresh single-node cluster unless it is already formatted. */
    static void formatIfNeeded(Path logDir) {
        if (isFormatted(logDir)) {
            return;
        }
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    // The formatter chats on stdout; KafkaNode.main's stdout is a protocol (KAFKA_READY), so capture it.
                    .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                    .setNodeId(KafkaNodeConfig.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(KafkaNodeConfig.CONTROLLER_LISTENER)
                    // The newest production metadata version this Kafka build supports (4.1 features).
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            String output = formatterOutput.toString(StandardCharsets.UTF_8).strip();
            throw new DevstackException("could not format Kafka storage in " + logDir + ": " + e.getMessage()
                    + (output.isEmpty() ? "" : " (formatter said: " + output + ")")
                    + "; check that the directory is writable, or delete it to start from an empty cluster", e);
        }
    }
}
