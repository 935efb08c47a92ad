package io.servicehealth.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's CPU by thread group: the kernel's per-thread counters, named from the JVM's thread dump. */
class ThreadCpuTest {
    @Test
    void schedstatGivesSecondsOnACpuAndSecondsWaitingForOne() {
        assertArrayEquals(new double[]{12.5, 3.25}, ThreadCpu.parseSchedstat("12500000000 3250000000 40211\n"), 1e-12);
    }

    @Test
    void threadDumpsNameNativeIdsInHexOnJdk17AndInDecimalLater() {
        String dump = """
                2026-11-27 18:00:00
                Full thread dump OpenJDK 64-Bit Server VM (17.0.13+11 mixed mode, sharing):

                "bench-drain-0-3f2a-StreamThread-1" #41 daemon prio=5 os_prio=0 cpu=91234.56ms elapsed=170.20s tid=0x00007f nid=0x1a2b runnable  [0x00007e]
                   java.lang.Thread.State: RUNNABLE

                "kafka-producer-network-thread | bench-drain-0-3f2a-StreamThread-1-producer" #43 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x1 nid=6701 runnable
                "GC Thread#0" os_prio=0 cpu=9870.12ms elapsed=170.51s tid=0x00007f nid=0x5e2 runnable
                """;

        Map<Integer, String> names = ThreadCpu.parseThreadPrint(dump);

        assertEquals(Map.of(0x1a2b, "bench-drain-0-3f2a-StreamThread-1",
                6701, "kafka-producer-network-thread | bench-drain-0-3f2a-StreamThread-1-producer",
                0x5e2, "GC Thread#0"), names);
    }

    @Test
    void threadsFallIntoTheGroupsTheReportNames() {
        assertEquals(ThreadCpu.Group.STREAM, ThreadCpu.classify("service-health-3f2a-StreamThread-2"));
        // a stream thread's producer runs its I/O on a thread of its own, named after the stream thread
        assertEquals(ThreadCpu.Group.PRODUCER_IO, ThreadCpu.classify("kafka-producer-network-thread | service-health-3f2a-StreamThread-2-producer"));
        assertEquals(ThreadCpu.Group.CATALOG, ThreadCpu.classify("service-health-3f2a-GlobalStreamThread"));
        assertEquals(ThreadCpu.Group.JIT, ThreadCpu.classify("C2 CompilerThread0"));
        assertEquals(ThreadCpu.Group.JIT, ThreadCpu.classify("C1 CompilerThre")); // the kernel's 15-character name
        assertEquals(ThreadCpu.Group.GC, ThreadCpu.classify("GC Thread#1"));
        assertEquals(ThreadCpu.Group.GC, ThreadCpu.classify("G1 Conc#0"));
        assertEquals(ThreadCpu.Group.ROCKSDB, ThreadCpu.classify("rocksdb:low"));
        assertEquals(ThreadCpu.Group.OTHER, ThreadCpu.classify("http-api"));
        // without the dump only the kernel's truncated name is known: a stream thread cannot be told apart
        assertEquals(ThreadCpu.Group.OTHER, ThreadCpu.classify("service-health-"));
    }

    @Test
    void figuresAreCoresOverTheIntervalLargestFirstAndTheEndedThreadsAreTheRest() {
        List<ThreadCpu.ThreadTimes> threads = List.of(
                new ThreadCpu.ThreadTimes(1, "app-StreamThread-1", 50, 30),
                new ThreadCpu.ThreadTimes(2, "app-StreamThread-2", 40, 20),
                new ThreadCpu.ThreadTimes(3, "C2 CompilerThread0", 20, 1),
                new ThreadCpu.ThreadTimes(4, "GC Thread#0", 5, 0),
                new ThreadCpu.ThreadTimes(5, "GC Thread#1", 5, 0));

        // 100 s, 1,000,000 events, the process used 130 s of CPU: 120 s in the live threads, 10 s in threads gone since
        List<Map<String, Object>> rows = ThreadCpu.figures(ThreadCpu.byGroup(threads), 100, 1_000_000, 130);

        assertEquals(List.of("stream threads", "JIT compilers", "garbage collector", "threads that ended before the reading"),
                rows.stream().map(r -> r.get("threads")).toList());
        Map<String, Object> stream = rows.get(0);
        assertEquals(2, stream.get("count"));
        assertEquals(0.90, (double) stream.get("cores"), 1e-9);        // 90 s / 100 s
        assertEquals(0.50, (double) stream.get("waitingCores"), 1e-9); // 50 s / 100 s
        assertEquals(90.0, (double) stream.get("microsPerEvent"), 1e-9);
        assertEquals(100 * 90 / 130.0, (double) stream.get("sharePercent"), 1e-9);
        assertEquals(0.10, (double) rows.get(3).get("cores"), 1e-9);
        assertNull(rows.get(3).get("waitingCores"));

        assertEquals("stream threads 0.90 cores (waiting for a CPU 0.50), JIT compilers 0.20 cores (waiting for a CPU 0.01), "
                + "garbage collector 0.10 cores, threads that ended before the reading 0.10 cores", ThreadCpu.summary(rows));
    }

    @Test
    void thisProcessCanBeReadOnLinux() {
        long pid = ProcessHandle.current().pid();
        List<ThreadCpu.ThreadTimes> threads = ThreadCpu.read(pid);
        if (!System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(threads.isEmpty());
            return;
        }
        assertTrue(threads.size() > 1, threads.toString());
        assertTrue(threads.stream().mapToDouble(ThreadCpu.ThreadTimes::cpuSeconds).sum() > 0, threads.toString());
        assertFalse(threads.stream().anyMatch(t -> t.cpuSeconds() < 0 || t.waitSeconds() < 0));
        if (!ThreadCpu.javaNames(pid).isEmpty()) {
            // with a JDK's jcmd at hand, Java threads carry their Java names, this one included
            assertTrue(threads.stream().anyMatch(t -> t.name().equals(Thread.currentThread().getName())), threads.toString());
        }
    }
}
