package io.servicehealth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pipeline process's CPU by thread group, from the kernel's per-thread scheduler counters
 * ({@code /proc/<pid>/task/<tid>/schedstat}: time on a CPU and time spent runnable but waiting for
 * one). The flight recorder samples Java code only: the JIT compilers, the garbage collector's workers
 * and RocksDB's flush and compaction threads are invisible to it, and so is the time the stream
 * threads wait for a core the broker or those threads hold. On a saturated two-core machine that is
 * what decides the drain rate, so the report needs it beside the profile.
 * <p>
 * Thread names: the kernel keeps 15 characters, which cannot tell a stream thread from the global
 * thread (both start with the client id), so Java threads are named from {@code jcmd <pid> Thread.print}
 * (their native ids); without jcmd the kernel's names are used and stream threads fall under "other".
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    enum Group {
        STREAM("stream threads"),
        PRODUCER_IO("producers' I/O threads"),
        CATALOG("global (catalog) thread"),
        JIT("JIT compilers"),
        GC("garbage collector"),
        ROCKSDB("RocksDB flushes and compactions"),
        OTHER("other threads");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    /** One thread's counters: seconds on a CPU, and seconds runnable but waiting for one. */
    record ThreadTimes(int tid, String name, double cpuSeconds, double waitSeconds) {
    }

    /** A group's totals over its threads. */
    record GroupTimes(int threads, double cpuSeconds, double waitSeconds) {
        GroupTimes plus(GroupTimes o) {
            return new GroupTimes(threads + o.threads, cpuSeconds + o.cpuSeconds, waitSeconds + o.waitSeconds);
        }
    }

    /** The live threads of {@code pid}, named as {@link #javaNames} gives them where it can; empty when unreadable. */
    static List<ThreadTimes> read(long pid) {
        Map<Integer, String> names = javaNames(pid);
        List<ThreadTimes> threads = new ArrayList<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> dirs = Files.list(tasks)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                try {
                    int tid = Integer.parseInt(dir.getFileName().toString());
                    double[] times = parseSchedstat(Files.readString(dir.resolve("schedstat")));
                    String name = names.getOrDefault(tid, Files.readString(dir.resolve("comm")).strip());
                    threads.add(new ThreadTimes(tid, name, times[0], times[1]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its time is in the process's total
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // not Linux, or the process is gone
        }
        return threads;
    }

    /** {@code schedstat}: nanoseconds on a CPU, nanoseconds waiting on a run queue, time slices. */
    static double[] parseSchedstat(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2) {
            throw new IllegalArgumentException("not a schedstat line: " + line);
        }
        return new double[]{Long.parseLong(f[0]) / 1e9, Long.parseLong(f[1]) / 1e9};
    }

    /**
     * The report's rows, largest first: each group's cores on a CPU and cores' worth of waiting for one
     * over {@code seconds}, its microseconds per event and share of the process's CPU; then what threads
     * that ended before the reading used (the process's total less the live threads').
     */
    static List<Map<String, Object>> figures(Map<Group, GroupTimes> groups, double seconds, long events, double processCpuSeconds) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double live = 0;
        List<Map.Entry<Group, GroupTimes>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort((a, b) -> Double.compare(b.getValue().cpuSeconds(), a.getValue().cpuSeconds()));
        for (Map.Entry<Group, GroupTimes> e : sorted) {
            GroupTimes g = e.getValue();
            live += g.cpuSeconds();
            rows.add(row(e.getKey().label, g.threads(), g.cpuSeconds(), g.waitSeconds(), seconds, events, processCpuSeconds));
        }
        double ended = processCpuSeconds - live;
        if (ended > 0.005 * processCpuSeconds) {
            rows.add(row("threads that ended before the reading", null, ended, Double.NaN, seconds, events, processCpuSeconds));
        }
        return rows;
    }

    /** One line: each group's cores, and for those that waited, the cores' worth of waiting for a CPU. */
    static String summary(List<Map<String, Object>> rows) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            double waiting = BenchReport.num(r.get("waitingCores"));
            parts.add(String.format("%s %.2f cores%s", r.get("threads"), BenchReport.num(r.get("cores")),
                    waiting >= 0.01 ? String.format(" (waiting for a CPU %.2f)", waiting) : ""));
        }
        return String.join(", ", parts);
    }

    private static Map<String, Object> row(String label, Integer threads, double cpuSeconds, double waitSeconds, double seconds, long events,
                                           double processCpuSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", label);
        m.put("count", threads);
        m.put("cores", cpuSeconds / seconds);
        m.put("waitingCores", Double.isNaN(waitSeconds) ? null : waitSeconds / seconds); // unknown for threads already gone
        m.put("microsPerEvent", cpuSeconds * 1e6 / events);
        m.put("sharePercent", 100 * cpuSeconds / processCpuSeconds);
        return m;
    }

    static Map<Group, GroupTimes> byGroup(List<ThreadTimes> threads) {
        Map<Group, GroupTimes> groups = new EnumMap<>(Group.class);
        for (ThreadTimes t : threads) {
            groups.merge(classify(t.name()), new GroupTimes(1, t.cpuSeconds(), t.waitSeconds()), GroupTimes::plus);
        }
        return groups;
    }

    /** Kafka's and the JVM's thread names (HotSpot's, where the JVM's are meant). */
    static Group classify(String name) {
        if (name.startsWith("kafka-producer-network-thread")) {
            return Group.PRODUCER_IO;
        }
        if (name.contains("-GlobalStreamThread")) {
            return Group.CATALOG;
        }
        if (name.contains("-StreamThread-")) {
            return Group.STREAM;
        }
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Group.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("ZWorker") || name.startsWith("ZDriver")
                || name.startsWith("ZDirector") || name.startsWith("Shenandoah")) {
            return Group.GC;
        }
        if (name.startsWith("rocksdb:")) {
            return Group.ROCKSDB;
        }
        return Group.OTHER;
    }

    private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\"\\s.*?\\bnid=(0x[0-9a-fA-F]+|\\d+)", Pattern.MULTILINE);

    /** Native thread id to Java thread name, from {@code jcmd <pid> Thread.print}; empty without jcmd. */
    static Map<Integer, String> javaNames(long pid) {
        Path jcmd = jcmdFor(pid);
        if (jcmd == null) {
            return Map.of();
        }
        Path out = null;
        try {
            // to a file, not a pipe: a jcmd that cannot attach must not block the benchmark past the timeout
            out = Files.createTempFile("thread-print", ".txt");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Map.of();
            }
            return p.exitValue() == 0 ? parseThreadPrint(Files.readString(out, StandardCharsets.UTF_8)) : Map.of();
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** JDK 17 prints {@code nid=0x1a2b}, later JDKs {@code nid=6699}. */
    static Map<Integer, String> parseThreadPrint(String threadPrint) {
        Map<Integer, String> names = new HashMap<>();
        Matcher m = THREAD_LINE.matcher(threadPrint);
        while (m.find()) {
            String nid = m.group(2);
            int tid = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
            names.put(tid, m.group(1));
        }
        return names;
    }

    /** The jcmd beside the process's own java, else beside this JVM's. */
    private static Path jcmdFor(long pid) {
        List<Path> candidates = new ArrayList<>();
        ProcessHandle.of(pid).flatMap(h -> h.info().command()).ifPresent(java -> {
            Path bin = Path.of(java).getParent();
            if (bin != null) {
                candidates.add(bin.resolve("jcmd"));
            }
        });
        candidates.add(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }
}
