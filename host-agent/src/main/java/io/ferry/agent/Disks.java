package io.ferry.agent;

import java.nio.file.Path;

/** Names a VM's disk for the storage lease: the file name of its image. */
public final class Disks {
    private Disks() {}

    public static String of(String diskPath) {
        Path name = Path.of(diskPath).getFileName();
        if (name == null) {
            throw new IllegalArgumentException("disk path '" + diskPath + "' has no file name");
        }
        return name.toString();
    }
}
