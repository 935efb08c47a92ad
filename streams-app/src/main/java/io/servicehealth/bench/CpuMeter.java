package io.servicehealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the machine's CPU went during a measurement: the pipeline process, the broker process, and the
 * whole machine (busy and stolen by the hypervisor), read from the kernel before and after. A drain on
 * two cores shares them with the broker; whether a missed target is the pipeline's own work, the
 * broker's or a noisy neighbour (steal) is what the report has to say, and this is the evidence.
 */
final class CpuMeter {
    private CpuMeter() {
    }

    /** CPU counters at one instant. Process times are null when the process is gone or not readable. */
    record Sample(long wallNanos, Duration pipeline, Duration broker, MachineTicks machine) {
    }

    /** Jiffies of the first line of /proc/stat, all cores together. */
    record MachineTicks(long busy, long steal, long total) {
        static final MachineTicks NONE = new MachineTicks(0, 0, 0);
    }

    /** Cores used on average between two samples; NaN where a counter was missing. */
    record Use(double seconds, double pipelineCores, double brokerCores, double machineBusyCores, double stealCores) {
        /** The pipeline's CPU over the interval, in microseconds per one of {@code events}. */
        double pipelineMicrosPer(long events) {
            return pipelineCores * seconds * 1e6 / events;
        }

        /** The broker's CPU over the interval, in microseconds per one of {@code events}. */
        double brokerMicrosPer(long events) {
            return brokerCores * seconds * 1e6 / events;
        }
    }

    static Sample sample(long pipelinePid, long brokerPid) {
        return new Sample(System.nanoTime(), cpuOf(pipelinePid), cpuOf(brokerPid), machine());
    }

    /**
     * CPU between {@code from} and {@code to}. The pipeline is launched after {@code from} (sampled then
     * without a pid), so its CPU counts from zero; the broker runs throughout and must be read at both
     * ends, or its whole lifetime would count as this interval's.
     */
    static Use between(Sample from, Sample to, int cores) {
        double seconds = (to.wallNanos() - from.wallNanos()) / 1e9;
        long busy = to.machine().busy() - from.machine().busy();
        long steal = to.machine().steal() - from.machine().steal();
        long total = to.machine().total() - from.machine().total();
        Duration pipelineStart = from.pipeline() == null ? Duration.ZERO : from.pipeline();
        return new Use(seconds, cores(pipelineStart, to.pipeline(), seconds), cores(from.broker(), to.broker(), seconds),
                total <= 0 ? Double.NaN : cores * (double) busy / total, total <= 0 ? Double.NaN : cores * (double) steal / total);
    }

    private static double cores(Duration from, Duration to, double seconds) {
        if (from == null || to == null || seconds <= 0) {
            return Double.NaN;
        }
        return to.minus(from).toNanos() / 1e9 / seconds;
    }

    private static Duration cpuOf(long pid) {
        if (pid <= 0) {
            return null;
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(null);
    }

    private static MachineTicks machine() {
        try {
            return parseProcStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return MachineTicks.NONE; // not Linux: the machine's share is reported as unknown
        }
    }

    /**
     * The aggregate line {@code cpu user nice system idle iowait irq softirq steal ...}: busy is what ran
     * (user, nice, system, irq, softirq), steal what the hypervisor gave to other guests; guest time is
     * already inside user and nice.
     */
    static MachineTicks parseProcStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
        }
        long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]), idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]), softirq = Long.parseLong(f[7]), steal = Long.parseLong(f[8]);
        long busy = user + nice + system + irq + softirq;
        return new MachineTicks(busy, steal, busy + idle + iowait + steal);
    }
}
