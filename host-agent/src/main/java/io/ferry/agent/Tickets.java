package io.ferry.agent;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.schema.agent.StageCommand;
import io.ferry.schema.common.MigrationPolicy;
import io.ferry.schema.common.VmConfig;

/** Reads the driver's view of a stage command. */
public final class Tickets {
    /** No shrinking of the dirty set for this long ends pre-copy with NOT_CONVERGING. */
    static final long PROGRESS_TIMEOUT_MS = io.ferry.hypervisor.Convergence.PROGRESS_TIMEOUT_MS;

    private Tickets() {}

    /** A ticket without the data-channel token: only the setup stage needs it, opened by its handler. */
    public static MigrationTicket of(StageCommand command) {
        return of(command, null);
    }

    /** @param token the data-channel token in clear, as opened from the command's sealed one */
    public static MigrationTicket of(StageCommand command, String token) {
        return new MigrationTicket(command.getMigrationId(), command.getVmId(), token, command.getSourceDataHost());
    }

    public static VmSpec spec(StageCommand command) {
        VmConfig vm = command.getVm();
        if (vm == null) {
            throw new IllegalArgumentException(command.getAction() + " for migration " + command.getMigrationId()
                    + " carries no VM configuration");
        }
        return new VmSpec(vm.getVmId(), vm.getMemoryMb(), vm.getVcpus(), vm.getMacAddress(), vm.getDiskPath(),
                vm.getCpuFeatures());
    }

    public static CopyPolicy policy(StageCommand command) {
        MigrationPolicy p = command.getPolicy();
        if (p == null) {
            throw new IllegalArgumentException("START_PRECOPY for migration " + command.getMigrationId() + " carries no policy");
        }
        return new CopyPolicy(p.getMaxDowntimeMs(), p.getBandwidthMbps(), p.getMaxRounds(), p.getAutoConverge(),
                io.ferry.hypervisor.Hypervisor.Compression.valueOf(p.getCompression().name()), PROGRESS_TIMEOUT_MS);
    }
}
