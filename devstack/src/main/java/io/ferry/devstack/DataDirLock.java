package io.ferry.devstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS file lock on a data dir, held while a server runs on it. Kafka locks its partition log
 * dirs only once the broker starts, after the controller has already opened the metadata log, so a second
 * node on the same dir could scribble over the first one's metadata before failing. We lock first.
 * The OS drops the lock when the process dies, so a crash never leaves a stale lock behind.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir, String fileName, String what) {
        Path file = dataDir.resolve(fileName);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, what, "another process");
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dataDir, what, "this JVM");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DevstackException("could not lock " + file + ": " + e.getMessage()
                    + "; check that " + dataDir + " is writable", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static DevstackException inUse(Path dataDir, String what, String holder) {
        return new DevstackException(dataDir + " is already in use by a running " + what + " in " + holder
                + "; stop it first, or give this one another data dir");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it anyway.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do; the OS releases the lock with the descriptor at exit.
        }
    }
}
