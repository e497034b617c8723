package io.ferry.bench.scale;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor under a stage hop on this machine: what a hop costs when the decision is free. A sender JVM commits one row
 * to PostgreSQL and then publishes with the orchestrator's producer settings (acks=all, idempotent, no linger); a
 * receiver JVM consumes with an agent's settings (fetch.max.wait 500 ms, offsets committed once per poll) and writes
 * "seq sentMicros committedMicros receivedMicros" per probe (sent: before the insert; committed: after the commit). Both JVMs run beside the stack, on the same clock, so a probe crosses the
 * same four processes as a hop (sender, PostgreSQL, the broker, receiver) and waits the same turns for a core.
 *
 * <p>{@code java -jar bench.jar hop-probe send BOOTSTRAP JDBC_URL USER INTERVAL_MS} (password in
 * FERRY_BENCH_PROBE_DB_PASSWORD) and {@code hop-probe receive BOOTSTRAP OUT_FILE}.
 */
public final class HopProbe {
    static final String TOPIC = "ferry.bench.hop-probe";
    static final String PASSWORD_ENV = "FERRY_BENCH_PROBE_DB_PASSWORD";

    private HopProbe() {}

    /** One probe as the receiver wrote it. */
    record Probe(long seq, Instant sent, Instant committed, Instant received) {
        double millis() {
            return Hops.between(sent, received);
        }

        /** The PostgreSQL part: the insert and its commit. */
        double commitMillis() {
            return Hops.between(sent, committed);
        }

        static Probe parse(String line) {
            String[] f = line.strip().split(" ");
            return new Probe(Long.parseLong(f[0]), micros(Long.parseLong(f[1])), micros(Long.parseLong(f[2])),
                    micros(Long.parseLong(f[3])));
        }
    }

    /** The probes sent in [from, to); a probe sent in the window and not yet received is left out. */
    static List<Probe> sentIn(List<Probe> probes, Instant from, Instant to) {
        return probes.stream().filter(p -> !p.sent().isBefore(from) && p.sent().isBefore(to)).toList();
    }

    static List<Probe> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file);
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        if (!text.endsWith("\n") && !lines.isEmpty()) {
            lines.removeLast(); // the receiver is still writing it
        }
        return lines.stream().filter(l -> !l.isBlank()).map(Probe::parse).toList();
    }

    public static int run(String[] args) throws Exception {
        if (args.length == 6 && args[1].equals("send")) {
            send(args[2], args[3], args[4], Integer.parseInt(args[5]));
            return 0;
        }
        if (args.length == 4 && args[1].equals("receive")) {
            receive(args[2], Path.of(args[3]));
            return 0;
        }
        System.err.println("usage: hop-probe send BOOTSTRAP JDBC_URL USER INTERVAL_MS | hop-probe receive BOOTSTRAP OUT_FILE"
                + " (the database password in " + PASSWORD_ENV + ")");
        return 64;
    }

    private static void send(String bootstrap, String jdbcUrl, String user, int intervalMs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        String password = System.getenv().getOrDefault(PASSWORD_ENV, "");
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            c.createStatement().execute("create table if not exists bench_hop_probe (seq bigint primary key, sent_at timestamptz)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into bench_hop_probe values (?, now())")) {
                for (long seq = 0; ; seq++) {
                    long sent = micros(Instant.now());
                    insert.setLong(1, seq);
                    insert.executeUpdate();
                    c.commit();
                    producer.send(new ProducerRecord<>(TOPIC, "probe", seq + " " + sent + " " + micros(Instant.now())));
                    Thread.sleep(intervalMs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("hop probe: the database failed: " + e.getMessage(), e);
        }
    }

    private static void receive(String bootstrap, Path out) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ferry-bench-hop-probe");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
                BufferedWriter w = Files.newBufferedWriter(out)) {
            consumer.subscribe(List.of(TOPIC));
            while (true) {
                var records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, String> r : records) {
                    w.write(r.value() + " " + micros(Instant.now()));
                    w.newLine();
                }
                if (!records.isEmpty()) {
                    w.flush();
                    consumer.commitSync(); // as an agent does, once per poll
                }
            }
        }
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant micros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
