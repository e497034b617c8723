package io.ferry.devstack;

import java.nio.file.Path;

/** Command-line plumbing for {@link KafkaNode#main}, kept apart so KafkaNode stays about Kafka. */
final class KafkaNodeMain {

    static final String USAGE = "usage: java -cp ... io.ferry.devstack.KafkaNode --data-dir DIR [--port N]"
            + "   (port 0 or omitted picks a free port; prints KAFKA_READY <host:port> when ready)";

    /** Logback config shipped in this jar; used only when the process runs KafkaNode.main. */
    private static final String LOGBACK_CONFIG = "io/ferry/devstack/kafka-node-logback.xml";

    private KafkaNodeMain() {
    }

    record Options(Path dataDir, int port) {

        static Options parse(String[] args) {
            Path dataDir = null;
            int port = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--port" -> port = parsePort(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            return new Options(dataDir, port);
        }

        private static String value(String[] args, int index, String flag) {
            if (index >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[index];
        }

        private static int parsePort(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port must be 0-65535, was '" + text + "'");
            }
        }
    }

    /**
     * Logback without a config file logs everything at DEBUG, and Kafka is very chatty. When this process is
     * only a Kafka node, default to our WARN-level config unless the caller chose one explicitly. Must run
     * before the first logger is created.
     */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null
                && KafkaNodeMain.class.getClassLoader().getResource(LOGBACK_CONFIG) != null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
    }
}
