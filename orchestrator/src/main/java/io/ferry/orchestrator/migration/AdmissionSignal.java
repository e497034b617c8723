package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
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
public class AdmissionSignal implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final ThreadLocal<Boolean> pending = ThreadLocal.withInitial(() -> false);
    private final AtomicBoolean raised = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Inside the transaction: remembered until {@link #fire()} runs after the commit. */
    @Override
    public void inTransaction(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        if (a.after().terminal() || a.after() instanceof MigrationState.Queued) {
            pending.set(true); // a slot may have freed, or a request may be waiting for one
        }
    }

    /** Called after the transaction: wakes the scheduler if the transaction signalled. */
    void fire() {
        if (pending.get()) {
            pending.set(false);
            raise();
        }
    }

    public void raise() {
        lock.lock();
        try {
            raised.set(true);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until raised or the timeout passes; clears the signal. */
    public void await(long timeoutMs) throws InterruptedException {
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
