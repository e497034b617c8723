package io.ferry.orchestrator.progress;

import io.ferry.orchestrator.core.Ids.MigrationId;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live progress of one migration as server-sent events: an event {@code progress} whenever the migration moved
 * (polled from the read model every 500 ms), a comment every 15 s to keep proxies from closing the stream, and the
 * end of the stream after a terminal state.
 */
@RestController
@RequestMapping("/api")
class ProgressController {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private final ProgressReader reader;

    ProgressController(ProgressReader reader) {
        this.reader = reader;
    }

    @GetMapping(path = "/migrations/{id}/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter progress(@PathVariable String id) {
        MigrationId migration = MigrationId.parse(id);
        Optional<ProgressView> first = reader.read(migration.value());
        if (first.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no migration " + id);
        }
        SseEmitter emitter = new SseEmitter(Duration.ofHours(2).toMillis());
        Thread.ofVirtual().name("sse-" + id).start(() -> stream(migration, first.get(), emitter));
        return emitter;
    }

    private void stream(MigrationId id, ProgressView first, SseEmitter emitter) {
        try {
            ProgressView last = first;
            emitter.send(SseEmitter.event().name("progress").data(last, MediaType.APPLICATION_JSON));
            long quietSince = System.nanoTime();
            while (!last.terminal()) {
                Thread.sleep(POLL);
                ProgressView now = reader.read(id.value()).orElse(last);
                if (now.version() != last.version()) {
                    emitter.send(SseEmitter.event().name("progress").data(now, MediaType.APPLICATION_JSON));
                    last = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEPALIVE.toNanos()) {
                    emitter.send(SseEmitter.event().comment("keepalive"));
                    quietSince = System.nanoTime();
                }
            }
            emitter.complete();
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e); // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        }
    }
}
