package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.VmId;
import java.util.List;

/** What the destination needs to build the skeleton VM: the VM's configuration as the source reports it. */
public record VmSpec(VmId vmId, int memoryMb, int vcpus, String macAddress, String diskPath, List<String> cpuFeatures) {
    public VmSpec {
        if (memoryMb <= 0) {
            throw new IllegalArgumentException("memoryMb must be positive, got " + memoryMb);
        }
        if (vcpus <= 0) {
            throw new IllegalArgumentException("vcpus must be positive, got " + vcpus);
        }
        cpuFeatures = List.copyOf(cpuFeatures);
    }
}
