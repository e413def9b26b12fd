package io.warmstream.model;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lowers the CPU priority (raises the Linux nice value) of a thread that runs background model work: training, the
 * scorer's test-set judge. Why: that work takes every core it gets, while the merger's held-out checks, the scorer's
 * loading of a new version and scoring requests wait on the CPU for a user. On a machine they share, the kernel then
 * gives those the cores first and the background work the rest; on an otherwise idle machine it runs as fast as
 * before.
 *
 * <p>The nice value is per thread on Linux and inherited by the threads a thread starts, so the engine's intra-op
 * worker threads created by a lowered thread run at its priority too (and so do any other threads it starts).
 * Raising a nice value needs no privilege; it is never lowered again. Elsewhere (not Linux), or if the call fails,
 * the work runs at normal priority and the log says so.
 */
public final class CpuPriority {

    private static final Logger LOG = LoggerFactory.getLogger(CpuPriority.class);
    private static final int PRIO_PROCESS = 0;

    private CpuPriority() {
    }

    /** glibc's setpriority: with PRIO_PROCESS and a thread id it acts on that thread alone. */
    private interface CLibrary extends Library {
        int setpriority(int which, int who, int prio);
    }

    /** The calling thread's nice value becomes at least {@code nice} (0..19); 0 leaves it as is. Returns the value. */
    public static int lowerCurrentThread(int nice) {
        if (nice <= 0) {
            return 0;
        }
        try {
            int tid = currentThreadId();
            int current = niceOf(tid);
            if (current >= nice) {
                return current;
            }
            CLibrary c = Native.load("c", CLibrary.class);
            if (c.setpriority(PRIO_PROCESS, tid, nice) != 0) {
                LOG.warn("{} runs at normal CPU priority: setpriority({}) failed, errno {}",
                        Thread.currentThread().getName(), nice, Native.getLastError());
                return current;
            }
            return niceOf(tid);
        } catch (Exception | LinkageError e) {
            LOG.info("{} runs at normal CPU priority (nice {} not applied here: {})", Thread.currentThread().getName(),
                    nice, e.toString());
            return 0;
        }
    }

    /** The calling thread's Linux thread id (what /proc/thread-self names). */
    public static int currentThreadId() throws java.io.IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** Field 19 of /proc/self/task/&lt;tid&gt;/stat. */
    public static int niceOf(int tid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
