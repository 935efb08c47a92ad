package io.servicehealth.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Held while a demo uses its working directory. The demo wipes that directory at start, so a second demo
 * started on the same one would delete the first one's broker data and state under it. The lock is a file
 * next to the directory (inside it would be wiped too), locked through the operating system, so it goes
 * with the process however that ends: nothing stale to clean up after a crash or a kill.
 */
final class WorkDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code workDir}, or fails naming it when another process holds it. */
    static WorkDirLock acquire(Path workDir) throws IOException {
        Path absolute = workDir.toAbsolutePath().normalize();
        Path file = absolute.resolveSibling(absolute.getFileName() + ".lock");
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            lock = null; // held by this very JVM (a second demo in one process): the same answer as another process's lock
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new Demo.Refused("another demo is running with work directory " + workDir
                    + " (" + file + " is locked): stop it first, or give this one its own --work-dir and ports");
        }
        return new WorkDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
