package io.ferry.orchestrator.admission;

import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import org.springframework.stereotype.Component;

/** After a commit that may let a queued migration start, wakes the admissions. */
@Component
class AdmissionWakeUp implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final AdmissionSignal signal;

    AdmissionWakeUp(AdmissionSignal signal) {
        this.signal = signal;
    }

    @Override
    public void afterCommit(Appended<MigrationCommand, MigrationEvent, MigrationState> a) {
        if (a.after().terminal() || a.after() instanceof MigrationState.Queued) {
            signal.raise(); // a slot may have freed, or a request may be waiting for one
        }
    }
}
