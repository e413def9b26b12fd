package io.warmstream.local.bench.scorer;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs a request function from a number of threads for a fixed time and measures it. */
final class LoadRun {

    /** One request; {@code i} counts requests of this thread, so each can pick different inputs. */
    @FunctionalInterface
    interface Request {
        void run(int thread, long i) throws Exception;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private LoadRun() {
    }

    static Measurement run(String name, int threads, int itemsPerRequest, double seconds, Request request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong errors = new AtomicLong();
        long cpu0 = OS.getProcessCpuTime();
        long start = System.nanoTime();
        long stopAt = start + (long) (seconds * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                for (long i = 0; System.nanoTime() < stopAt || i == 0; i++) {
                    long t0 = System.nanoTime();
                    try {
                        request.run(thread, i);
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1) {
                            System.err.println(name + ": " + e);
                        }
                        continue;
                    }
                    if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                    lat[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get(10L * 60, TimeUnit.SECONDS));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpu0;
        pool.shutdown();
        long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long items = (long) lat.length * itemsPerRequest;
        return new Measurement(name, threads, itemsPerRequest, lat.length, items, errors.get(), elapsed,
                percentile(lat, 0.50), percentile(lat, 0.99), items == 0 ? 0 : cpu / 1e6 / items);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
