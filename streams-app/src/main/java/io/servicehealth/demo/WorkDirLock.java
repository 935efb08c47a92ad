package io.servicehealth.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Held while a demo uses its working directory. The demo wipes that directory at start, so a second demo
 * started on the same one would delete the first one's broker data and state under it. The lock is a file
 * next to the directory (inside it would be wiped too), locked through the operating system, so it goes
 * with the process however that ends: nothing stale to clean up after a crash or a kill.
 */
final class WorkDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private WorkDirLock(FileChannel channel, FileLock lock, Path file) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Lock files this JVM holds. A second demo in the same process is refused here, before it opens the
     * file: on Linux, closing any channel of a file drops every lock the process holds on it, so a
     * refused attempt that had opened (and closed) the file would have released the first demo's lock.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** Locks {@code workDir}, or fails naming it when another demo holds it. */
    static WorkDirLock acquire(Path workDir) throws IOException {
        Path absolute = workDir.toAbsolutePath().normalize();
        Path file = absolute.resolveSibling(absolute.getFileName() + ".lock");
        if (!HELD.add(file)) {
            throw refused(workDir, file);
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close(); // another process holds it; this process held no lock on the file to lose
                throw refused(workDir, file);
            }
            return new WorkDirLock(channel, lock, file);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static Demo.Refused refused(Path workDir, Path file) {
        return new Demo.Refused("another demo is running with work directory " + workDir
                + " (" + file + " is locked): stop it first, or give this one its own --work-dir and ports");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(file);
        }
    }
}
