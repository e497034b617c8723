package io.ferry.orchestrator.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A platform thread that runs one round of work, waits, and runs again for as long as the application runs. A round
 * that fails is logged and retried after the wait: the work is idempotent by construction (appends are versioned).
 */
public abstract class BackgroundLoop implements SmartLifecycle {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private volatile boolean running;
    private Thread thread;

    protected BackgroundLoop(String name) {
        this.name = name;
    }

    /** One round of work. */
    protected abstract void round();

    /** Waits until the next round is due (or was asked for). */
    protected abstract void pause() throws InterruptedException;

    /** Called once before the first round. */
    protected void starting() {}

    @Override
    public void start() {
        running = true;
        starting();
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                round();
            } catch (RuntimeException e) {
                log.warn("{} round failed (retrying): {}", name, e.toString());
            }
            try {
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
