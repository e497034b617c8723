package io.ferry.orchestrator.e2e;

import io.ferry.agent.HostAgentApplication;
import io.ferry.hypervisor.simulated.GuestMemory;
import io.ferry.hypervisor.simulated.GuestStore;
import io.ferry.orchestrator.OrchestratorApplication;
import io.ferry.testkit.FerryStackExtension;
import io.ferry.testkit.InProcessStack;

/**
 * ferry's apps for the testkit's stacks (which cannot depend on them): the orchestrator and the host agents in this JVM,
 * their guests in /dev/shm when usable.
 */
final class FerryApps {
    static final InProcessStack.Apps IN_PROCESS = new InProcessStack.Apps(OrchestratorApplication.class,
            HostAgentApplication.class, GuestMemory.defaultDirectory(0), GuestStore::wipe);

    private FerryApps() {}

    /** A fresh broker and database with an orchestrator, for a whole test class (add its agents). */
    static FerryStackExtension stack() {
        return FerryStackExtension.inProcess(IN_PROCESS);
    }
}
