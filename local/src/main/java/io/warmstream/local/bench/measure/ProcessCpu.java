package io.warmstream.local.bench.measure;

import java.lang.management.ManagementFactory;

/** CPU time this JVM has used (all threads), recorded beside wall time so a result shows how busy its cores were. */
public final class ProcessCpu {

    private ProcessCpu() {
    }

    public static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
