package io.servicehealth.cli;

import io.servicehealth.backtest.Backtest;
import io.servicehealth.backtest.BacktestPlan;
import io.servicehealth.backtest.BacktestReport;
import io.servicehealth.config.ConfigLoader;
import io.servicehealth.config.HealthConfig;
import io.servicehealth.demo.Demo;
import io.servicehealth.runtime.HealthService;
import io.servicehealth.runtime.StreamsProperties;
import io.servicehealth.config.TopologySettings;
import io.servicehealth.topology.HealthSerdes;
import io.servicehealth.topology.HealthTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code service-health <command> [options]}: run, demo, reset, clean. Configuration comes from
 * {@code --config FILE} and {@code SERVICE_HEALTH_*} environment variables; a bad key stops the start
 * with a message that names it.
 */
public final class Main {
    private static final String USAGE = """
            usage: service-health <command> [options]

            commands:
              run     run the pipeline against a configured cluster (exactly-once, topics created if missing)
              demo    the embedded default: local Kafka broker, schema registry, simulated traffic, live summary
              reset   reprocess from the start under the same application id (stop every instance first)
              clean   wipe this instance's local state
              redrive replay dead-letter records into the topics they came from
              backtest replay the inputs under other thresholds or rules, compare the alerts with production's
              bench   the benchmark: baselines, pre-load, backlog drain (and the peers), report in bench-results/
              help    this text; `service-health <command> --help` for a command

            configuration: --config FILE (Java properties) and SERVICE_HEALTH_* environment variables,
            e.g. SERVICE_HEALTH_KAFKA_BOOTSTRAP_SERVERS=broker:9092 sets kafka.bootstrap.servers.
            Keys are listed in README.md (Configuration).""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Options options;
        try {
            options = Options.parse(command, List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            err.println("service-health " + command + ": " + e.getMessage());
            err.println(Options.help(command));
            return 2;
        }
        if (options.help) {
            out.println(Options.help(command));
            return 0;
        }
        try {
            Map<String, String> production = ConfigLoader.load(options.config, env);
            Map<String, String> raw = new HashMap<>(production);
            raw.putAll(options.set);
            return switch (command) {
                case "run" -> runService(new HealthConfig(raw), err);
                case "demo" -> demo(options, raw, out, err);
                case "reset" -> reset(new HealthConfig(raw), out);
                case "clean" -> clean(new HealthConfig(raw), out);
                case "redrive" -> redrive(new HealthConfig(raw), options, out);
                case "bench" -> bench(options, out, err);
                case "backtest" -> backtest(production, options, out);
                default -> throw new IllegalStateException();
            };
        } catch (ConfigException e) {
            err.println("service-health " + command + ": configuration error: " + e.getMessage());
            return 2;
        } catch (BacktestPlan.Refused e) {
            err.println("service-health " + command + ": " + e.getMessage());
            return 2;
        }
    }

    private static int runService(HealthConfig config, PrintStream err) throws Exception {
        HealthService service = HealthService.start(config);
        Thread hook = new Thread(service::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable failure = service.awaitStop();
        if (failure != null) {
            err.println("service-health stopped on an error: " + failure);
            return 1;
        }
        return 0;
    }

    private static int demo(Options options, Map<String, String> raw, PrintStream out, PrintStream err) throws Exception {
        Demo demo;
        try {
            demo = Demo.start(new Demo.Options(options.workDir, options.httpPort, options.registryPort, options.speed, options.callsPerHour,
                    options.minutes == null ? null : Duration.ofSeconds(Math.round(options.minutes * 60)), out), raw);
        } catch (Demo.Refused e) {
            err.println("service-health demo: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> {
            try {
                out.println("stopping the demo …");
                demo.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        demo.awaitEnd();
        if (options.minutes != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
            out.println("time is up: stopping the demo …");
            demo.close();
            out.println("demo stopped; " + demo.alertsSeen() + " alert transitions seen");
        }
        return 0;
    }

    private static int bench(Options options, PrintStream out, PrintStream err) throws Exception {
        long events = options.events != null ? options.events : options.quick ? 200_000 : 2_000_000;
        int runs = options.runs != null ? options.runs : options.quick ? 1 : 3;
        Path dir = options.out != null ? options.out : Path.of("bench-results", java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        Path peers = options.peersScript != null ? options.peersScript : Path.of("..", "shared", "peers", "run.sh");
        java.util.Set<String> stages = new java.util.LinkedHashSet<>(options.stages != null ? options.stages : io.servicehealth.bench.BenchPlan.ALL_STAGES);
        if (options.noPeers || !java.nio.file.Files.exists(peers)) {
            stages.remove("peers");
        }
        List<String> guarantees = options.guarantees != null ? options.guarantees : List.of("exactly_once_v2", "at_least_once");
        java.time.Duration latency = options.latencyMinutes != null ? java.time.Duration.ofSeconds((long) (options.latencyMinutes * 60))
                : options.quick ? java.time.Duration.ofMinutes(1) : java.time.Duration.ofMinutes(10);
        List<Integer> scale = options.scaleEntities != null ? options.scaleEntities
                : options.quick ? List.of(10_000, 100_000) : List.of(10_000, 100_000, 1_000_000);
        io.servicehealth.bench.Benchmark benchmark;
        try {
            benchmark = new io.servicehealth.bench.Benchmark(new io.servicehealth.bench.BenchPlan(events, runs, stages, guarantees, options.set,
                    latency, options.latencyRate, scale, peers, dir), out);
        } catch (IllegalArgumentException e) {
            err.println("service-health bench: " + e.getMessage());
            return 2;
        }
        benchmark.run();
        return 0;
    }

    private static int redrive(HealthConfig config, Options options, PrintStream out) {
        Map<String, Object> kafka = new HashMap<>();
        streamsProperties(config).forEach((k, v) -> kafka.put(k.toString(), v));
        io.servicehealth.errors.Redrive.run(kafka, config.getString(HealthConfig.TOPIC_DEAD_LETTER), options.reason,
                options.limit == null ? Long.MAX_VALUE : options.limit, out);
        return 0;
    }

    private static Properties streamsProperties(HealthConfig config) {
        return StreamsProperties.build(config, "localhost:0");
    }

    private static int clean(HealthConfig config, PrintStream out) {
        Properties props = streamsProperties(config);
        TopologySettings settings = TopologySettings.from(config, java.util.Collections.nCopies(4, 1)); // cleanUp needs the graph, not the partitions
        try (KafkaStreams streams = new KafkaStreams(HealthTopology.build(settings, HealthSerdes.fromConfig(config.serdeConfig())), props)) {
            streams.cleanUp();
        }
        out.println("local state of " + props.get(StreamsConfig.APPLICATION_ID_CONFIG) + " wiped under " + props.get(StreamsConfig.STATE_DIR_CONFIG));
        return 0;
    }

    /**
     * Deletes the application's consumer group (so it starts again from the earliest offsets) and its
     * internal topics (changelogs, repartition), then wipes local state: the next start reprocesses
     * every input from the beginning. Every instance must be stopped first.
     */
    private static int reset(HealthConfig config, PrintStream out) throws Exception {
        Properties props = streamsProperties(config);
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Map<String, Object> adminConfig = new HashMap<>();
        props.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k.toString())) {
                adminConfig.put(k.toString(), v);
            }
        });
        try (Admin admin = Admin.create(adminConfig)) {
            try {
                admin.deleteConsumerGroups(List.of(applicationId)).all().get();
                out.println("deleted consumer group " + applicationId);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException) {
                    throw new IllegalStateException("instances of " + applicationId + " are still running: stop them all before a reset");
                }
                out.println("no consumer group " + applicationId + " to delete (" + e.getCause().getMessage() + ")");
            }
            List<String> internal = new ArrayList<>();
            for (String topic : admin.listTopics().names().get()) {
                if (topic.startsWith(applicationId + "-") && (topic.endsWith("-changelog") || topic.endsWith("-repartition"))) {
                    internal.add(topic);
                }
            }
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get();
                out.println("deleted internal topics " + internal);
            }
        }
        return clean(config, out);
    }

    private static int backtest(Map<String, String> production, Options options, PrintStream out) throws Exception {
        BacktestPlan plan = BacktestPlan.of(production, options.set, options.name);
        Backtest.Result result = Backtest.run(plan, Duration.ofSeconds(Math.round(options.timeoutMinutes * 60)), out);
        BacktestReport.print(result, plan, out);
        if (options.out != null) {
            BacktestReport.writeJson(result, plan, options.out);
            out.println("comparison written to " + options.out);
        }
        return 0;
    }

    /** Command-line options: few enough to parse by hand. */
    static final class Options {
        Path config;
        boolean help;
        final Map<String, String> set = new HashMap<>();
        Path workDir = Path.of("work", "demo");
        int httpPort = 8080;
        int registryPort = 8081;
        double speed = 4.0;
        int callsPerHour = 600;
        Double minutes;
        String reason;
        Long limit;
        boolean quick;
        boolean noPeers;
        Long events;
        Integer runs;
        Path out;
        Path peersScript;
        List<String> stages;
        List<String> guarantees;
        Double latencyMinutes;
        Double latencyRate;
        List<Integer> scaleEntities;
        String name;
        double timeoutMinutes = 60;

        static Options parse(String command, List<String> args) {
            if (!List.of("run", "demo", "reset", "clean", "redrive", "bench", "backtest").contains(command)) {
                throw new IllegalArgumentException("unknown command (run, demo, reset, clean, redrive, bench, backtest)");
            }
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--config" -> o.config = Path.of(value(args, ++i, a));
                    case "--set" -> {
                        String kv = value(args, ++i, a);
                        int eq = kv.indexOf('=');
                        if (eq < 1) throw new IllegalArgumentException("--set takes key=value, got '" + kv + "'");
                        o.set.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    case "--reason" -> o.reason = value(args, ++i, a);
                    case "--name" -> o.name = value(args, ++i, a);
                    case "--timeout-minutes" -> o.timeoutMinutes = Double.parseDouble(value(args, ++i, a));
                    case "--limit" -> o.limit = Long.parseLong(value(args, ++i, a));
                    case "--quick" -> o.quick = true;
                    case "--no-peers" -> o.noPeers = true;
                    case "--events" -> o.events = Long.parseLong(value(args, ++i, a));
                    case "--runs" -> o.runs = Integer.parseInt(value(args, ++i, a));
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--peers" -> o.peersScript = Path.of(value(args, ++i, a));
                    case "--stages" -> o.stages = List.of(value(args, ++i, a).split(","));
                    case "--guarantees" -> o.guarantees = List.of(value(args, ++i, a).split(","));
                    case "--latency-minutes" -> o.latencyMinutes = Double.parseDouble(value(args, ++i, a));
                    case "--latency-rate" -> o.latencyRate = Double.parseDouble(value(args, ++i, a));
                    case "--scale-entities" -> o.scaleEntities = java.util.Arrays.stream(value(args, ++i, a).split(",")).map(Integer::valueOf).toList();
                    default -> {
                        if (!command.equals("demo")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        switch (a) {
                            case "--work-dir" -> o.workDir = Path.of(value(args, ++i, a));
                            case "--http-port" -> o.httpPort = Integer.parseInt(value(args, ++i, a));
                            case "--registry-port" -> o.registryPort = Integer.parseInt(value(args, ++i, a));
                            case "--speed" -> o.speed = Double.parseDouble(value(args, ++i, a));
                            case "--calls-per-hour" -> o.callsPerHour = Integer.parseInt(value(args, ++i, a));
                            case "--minutes" -> o.minutes = Double.parseDouble(value(args, ++i, a));
                            default -> throw new IllegalArgumentException("unknown option " + a);
                        }
                    }
                }
            }
            return checked(command, o);
        }

        private static Options checked(String command, Options o) {
            if (command.equals("backtest") && o.name == null && !o.help) {
                throw new IllegalArgumentException("backtest needs --name NAME");
            }
            return o;
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        static String help(String command) {
            String common = """
                      --config FILE      properties file (keys in README.md, Configuration)
                      --set KEY=VALUE    one configuration key (repeatable; wins over file and environment)
                      --help             this text""";
            return switch (command) {
                case "run" -> "usage: service-health run [--config FILE] [--set KEY=VALUE]…\n"
                        + "Runs the pipeline against kafka.bootstrap.servers with exactly-once processing; creates missing topics;\n"
                        + "serves /health/live, /health/ready, /metrics and the query API on http.host:http.port. SIGTERM stops it cleanly.\n" + common;
                case "demo" -> "usage: service-health demo [options]\n"
                        + "Starts a local Kafka broker (KRaft, real jars), an in-process schema registry served over HTTP, the pipeline\n"
                        + "and simulated traffic; prints the worst campaigns and new alerts. Ctrl-C stops it.\n" + common + """

                          --work-dir DIR       broker data and state (default work/demo; wiped at start)
                          --http-port N        query API and metrics (default 8080; 0 = any free port)
                          --registry-port N    schema registry (default 8081; 0 = any free port)
                          --speed H            simulated hours per wall-clock second (default 4)
                          --calls-per-hour N   hotline calls per simulated peak hour (default 600)
                          --minutes M          stop after M minutes (default: run until Ctrl-C)""";
                case "reset" -> "usage: service-health reset [--config FILE] [--set KEY=VALUE]…\n"
                        + "Deletes the application's consumer group and internal topics and wipes local state, so the next run\n"
                        + "reprocesses every input from the beginning. Stop every instance first.\n" + common;
                case "redrive" -> "usage: service-health redrive [--config FILE] [--reason R] [--limit N]\n"
                        + "Replays dead-letter records (original bytes) into the topic named in their dlq.topic header, after the cause\n"
                        + "is fixed. --reason only replays records with that dlq.reason; truncated copies are skipped and reported.\n" + common;
                case "bench" -> """
                        usage: service-health bench [--quick] [--events N] [--runs R] [--stages LIST] [--guarantees LIST]
                                                    [--latency-minutes M] [--latency-rate R] [--scale-entities LIST] [--set KEY=VALUE]…
                                                    [--no-peers]
                                                    [--peers PATH/run.sh] [--out DIR]
                        First the JMH micro-benchmarks of the hot paths (before the broker starts), then on a local broker:
                        Kafka's producer and consumer perf tools (baselines), a pre-loaded backlog of N events
                        (default 2,000,000; --quick 200,000) drained with exactly-once v2 and at-least-once (median of R runs,
                        default 3; --quick 1) with every event's count checked, one more exactly-once drain profiled with Java Flight
                        Recorder (where the stream threads' time goes; not in the median), end-to-end latency at a paced 25% of the drain
                        rate (M minutes, default 10; --quick 1), throughput and resident memory from 10k to 1M entities and the
                        restore time of the largest state (separate processes), then ../shared/peers/run.sh with the same N.
                        Writes report.md and report.json (default bench-results/<time>/).
                          --stages LIST        any of jmh,baselines,drain,profile,latency,scale,restore,peers (default: all)
                          --guarantees LIST    exactly_once_v2,at_least_once (default: both)
                          --latency-rate R     paced load in events/s (default: 25% of this invocation's exactly-once drain; 1000 when the
                                               drain stage does not run)
                          --scale-entities L   entity cardinalities of the scale stage (default 10000,100000,1000000)
                          --set KEY=VALUE      a configuration that differs from the shipped default (the report names it)""";
                case "backtest" -> "usage: service-health backtest --name NAME [--config FILE] [--set KEY=VALUE]… [--out FILE] [--timeout-minutes M]\n"
                        + "Replays the input topics, as they are now, under the production configuration (--config, environment) changed by\n"
                        + "--set (score.* weights and targets, alert.rule.* thresholds …), in a consumer group, state and output topics of\n"
                        + "its own (backtest-NAME-health-alerts …), then compares its alert transitions with the production alert topic:\n"
                        + "counts by transition and kind, and the transitions only one of them has. Production is not touched.\n" + common + """

                          --name NAME          names the backtest's group, state and topics (one run per name)
                          --out FILE           also write the comparison as JSON
                          --timeout-minutes M  give up after M minutes (default 60)""";
                case "clean" -> "usage: service-health clean [--config FILE] [--set KEY=VALUE]…\n"
                        + "Wipes this instance's local state (it is restored from the changelogs at the next start).\n" + common;
                default -> USAGE;
            };
        }
    }
}
