package io.ferry.orchestrator.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka in id order, then marks the rows published and clears their payloads. A row Kafka
 * can never accept is set aside (marked failed with the reason) so the rows behind it flow. Woken right after each
 * commit that wrote to the outbox, and polling as a fallback. Two lanes, a thread each: the agents' stage commands, and
 * everything else (events, replies), so a command never waits for a batch of events to be acknowledged (in the scale
 * bench a command row waited up to 150 ms for the relay to pick it up while it published events). Order is kept within
 * a topic, which is all Kafka keeps anyway. A transaction-scoped advisory lock per lane keeps one relay active when
 * several orchestrators run. Delivery is at least once; consumers deduplicate by command/event id.
 */
@Component
public class OutboxRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Which rows a lane publishes, the advisory lock that keeps it single across orchestrators, and its thread. */
    enum Lane {
        COMMANDS("topic like ?", 0x666572727943L, "outbox-relay-commands"), // "ferryC"
        OTHERS("topic not like ?", 0x6665727279L, "outbox-relay-others"); // "ferry": the one lane's lock before lanes

        private final String filter;
        private final long lock;
        private final String thread;

        Lane(String filter, long lock, String thread) {
            this.filter = filter;
            this.lock = lock;
            this.thread = thread;
        }

        /** The lane that publishes rows of this topic (the same rule as {@link #filter}). */
        static Lane of(String topic) {
            return topic.startsWith(io.ferry.schema.Topics.COMMANDS_PREFIX) ? COMMANDS : OTHERS;
        }
    }

    private static final String COMMAND_TOPICS = io.ferry.schema.Topics.COMMANDS_PREFIX.replace("_", "\\_") + "%";
    private static final int BATCH = 200;
    /** Longer than the producer's delivery.timeout.ms, so a send fails with Kafka's own reason before this. */
    private static final long SEND_WAIT_MS = 40_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final java.util.Map<Lane, Semaphore> wake = new java.util.EnumMap<>(Lane.class);
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        for (Lane lane : Lane.values()) {
            wake.put(lane, new Semaphore(0));
        }
    }

    /** Wakes every lane (the relay also polls every 200 ms). */
    public void wakeUp() {
        wake.values().forEach(Semaphore::release);
    }

    /** Wakes the lane that has rows to send: a commit that wrote only events leaves the command lane asleep. */
    void wakeUp(Lane lane) {
        wake.get(lane).release();
    }

    @Override
    public void start() {
        running = true;
        for (Lane lane : Lane.values()) {
            threads.add(Thread.ofPlatform().name(lane.thread).daemon().start(() -> loop(lane)));
        }
    }

    @Override
    public void stop() {
        running = false;
        wakeUp();
        try {
            for (Thread thread : threads) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop(Lane lane) {
        long backoffMs = 100;
        Semaphore woken = wake.get(lane);
        while (running) {
            try {
                int published = publishBatch(lane);
                backoffMs = 100;
                if (published < BATCH) {
                    woken.tryAcquire(200, TimeUnit.MILLISECONDS);
                    woken.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay ({}) could not publish (retrying in {} ms): {}", lane, backoffMs, e.getMessage());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    /**
     * Sends up to a batch of unsent rows in id order and waits for the broker. Rows up to the first one that failed
     * for a reason that may pass (broker down) are marked published; a row that can never be sent is set aside and the
     * rows behind it go on. The row that may pass and those after it stay for the next round (at least once).
     */
    int publishBatch(Lane lane) {
        Batch batch = tx.execute(status -> {
            Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, lane.lock);
            if (!Boolean.TRUE.equals(locked)) {
                return Batch.EMPTY;
            }
            List<Row> rows = jdbc.query("select id, topic, message_key, payload, content_type from outbox "
                    + "where published_at is null and failed_at is null and " + lane.filter + " order by id limit " + BATCH,
                    (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5)),
                    COMMAND_TOPICS);
            if (rows.isEmpty()) {
                return Batch.EMPTY;
            }
            List<CompletableFuture<?>> sends = send(rows);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_WAIT_MS);
            List<Long> published = new ArrayList<>();
            int setAside = 0;
            SendFailure stoppedBy = null;
            for (int i = 0; i < sends.size() && stoppedBy == null; i++) {
                Row row = rows.get(i);
                SendFailure failure = outcome(sends.get(i), deadline);
                if (failure == null) {
                    published.add(row.id());
                } else if (failure.verdict() == SendFailure.Verdict.SET_ASIDE) {
                    setAside(row, failure);
                    setAside++;
                } else {
                    stoppedBy = failure;
                }
            }
            if (stoppedBy == null && sends.size() < rows.size()) {
                stoppedBy = new SendFailure(SendFailure.Verdict.RETRY, "stopped sending after a send failed");
            }
            // The payload goes once it is out: commands carry data-channel tokens, which must not stay in the table.
            jdbc.update("update outbox set published_at = now(), payload_size = length(payload), payload = '\\x'::bytea "
                    + "where id = any(?)", (Object) published.toArray(Long[]::new));
            return new Batch(published.size() + setAside, stoppedBy);
        });
        if (batch == null) {
            return 0;
        }
        if (batch.stoppedBy() != null) {
            throw new IllegalStateException(batch.stoppedBy().description());
        }
        return batch.handled();
    }

    /** Sends in order; stops early when a send fails at once for a reason that may pass (no broker to ask, say). */
    private List<CompletableFuture<?>> send(List<Row> rows) {
        List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CompletableFuture<?> send;
            try {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                record.headers().add("content-type", row.contentType().getBytes(StandardCharsets.UTF_8));
                send = kafka.send(record);
            } catch (RuntimeException e) {
                send = CompletableFuture.failedFuture(e);
            }
            sends.add(send);
            if (send.isCompletedExceptionally()
                    && SendFailure.of(send.exceptionNow()).verdict() == SendFailure.Verdict.RETRY) {
                break;
            }
        }
        return sends;
    }

    /** Null when the row was sent, else why not. */
    private static SendFailure outcome(CompletableFuture<?> send, long deadlineNanos) {
        try {
            send.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return SendFailure.of(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            return new SendFailure(SendFailure.Verdict.RETRY, "the broker did not acknowledge within " + SEND_WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendFailure(SendFailure.Verdict.RETRY, "interrupted while waiting for the broker");
        }
    }

    private void setAside(Row row, SendFailure failure) {
        jdbc.update("update outbox set failed_at = now(), failure = ?, payload_size = length(payload), "
                + "payload = '\\x'::bytea where id = ?", failure.description(), row.id());
        log.error("outbox row {} for topic {} (key {}, {} bytes) can never be sent and was set aside; the rows behind "
                + "it go on. Cause: {}. See select * from outbox where failed_at is not null", row.id(), row.topic(),
                abbreviate(row.key()), row.payload().length, failure.description());
    }

    private static String abbreviate(String key) {
        return key == null || key.length() <= 80 ? key : key.substring(0, 80) + "...(" + key.length() + " chars)";
    }

    private record Batch(int handled, SendFailure stoppedBy) {
        static final Batch EMPTY = new Batch(0, null);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Row(long id, String topic, String key, byte[] payload, String contentType) {}
}
