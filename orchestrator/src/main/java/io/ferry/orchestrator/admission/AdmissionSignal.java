package io.ferry.orchestrator.admission;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Wakes the admission scheduler as soon as a committed change may let a queued migration start (a new request, or
 * a migration that ended), so a free slot is used at once instead of at the next poll.
 */
@Component
class AdmissionSignal {
    private final AtomicBoolean raised = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    void raise() {
        lock.lock();
        try {
            raised.set(true);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until raised or the timeout passes; clears the signal. */
    void await(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            if (!raised.get()) {
                changed.await(timeoutMs, TimeUnit.MILLISECONDS);
            }
            raised.set(false);
        } finally {
            lock.unlock();
        }
    }
}
