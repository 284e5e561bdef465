package dev.ddbreplicator.bench.replication;

import dev.ddbreplicator.bench.Items;
import dev.ddbreplicator.bench.PlainWrites;
import dev.ddbreplicator.bench.ProcessMemory;
import dev.ddbreplicator.bench.Stats;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Replication throughput against plain PutItem, hot keys, lag, and the worker's memory, for one
 * replicator at a time. The replicator follows one pair's stream live; for each run it is paused,
 * the source is loaded with the run's writes, and it is resumed: its rate is the steady part of the
 * drain (from 10% to 90% of the events finished), compared with plain unconditional PutItem of the
 * same number of items, at the writer's concurrency, into the same replica server, measured just
 * before and just after.
 */
public final class ReplicationBench {

    public static final String DLQ_BUCKET = "bench-dlq";
    private static final String VERSION = WriterSettings.DEFAULT_VERSION_ATTRIBUTE;
    private static final int LOAD_THREADS = 8;
    private static final String PLAIN_TOMBSTONES = "plain-tombstones";

    /** The two workloads. */
    public enum Workload {
        /** Every write creates a new item. */
        INSERTS,
        /** 10% of the keys get 90% of the writes. */
        HOT_KEYS
    }

    /**
     * How much to measure.
     *
     * @param items writes per run
     * @param runs measured runs per workload (medians are reported)
     * @param lagMillis how long the lag probe writes
     */
    public record Settings(int items, int runs, long lagMillis) {
    }

    /**
     * One run: the replicator's rate and the plain PutItem rates around it; for inserts also the
     * rate of the replicator's write protocol sent without the replicator (NaN otherwise).
     */
    public record Run(double rate, double plainBefore, double plainAfter, double protocol) {
        public double ratio() {
            return rate / ((plainBefore + plainAfter) / 2);
        }
    }

    /** Every run of one workload. */
    public record WorkloadResult(Workload workload, List<Run> runs) {
        public double medianRatio() {
            return Stats.median(runs.stream().map(Run::ratio).toList());
        }

        public double medianRate() {
            return Stats.median(runs.stream().map(Run::rate).toList());
        }

        public double medianPlain() {
            return Stats.median(runs.stream().map(r -> (r.plainBefore() + r.plainAfter()) / 2).toList());
        }

        public List<Double> ratios() {
            return runs.stream().map(Run::ratio).toList();
        }

        /** The replicator's rate over its own write protocol's, sent plainly at the same concurrency. */
        public double medianOfProtocol() {
            return Stats.median(runs.stream().map(r -> r.rate() / r.protocol()).toList());
        }

        public double medianProtocol() {
            return Stats.median(runs.stream().map(Run::protocol).toList());
        }
    }

    /** Everything measured for one replicator. */
    public record Result(String target, int concurrency, WorkloadResult inserts, WorkloadResult hotKeys, LagProbe.Result lag,
                         ProcessMemory memory, long maxRssKb) {
    }

    /** Makes the replicator under test for a registered pair whose source table is given. */
    @FunctionalInterface
    public interface TargetFactory {
        Target start(Stack stack, String pairId, String sourceTable) throws Exception;
    }

    private final Stack stack;
    private final Settings settings;
    private final Consumer<String> log;

    public ReplicationBench(Stack stack, Settings settings, Consumer<String> log) {
        this.stack = stack;
        this.settings = settings;
        this.log = log;
    }

    /** The KCL worker's runnable jar in its own JVM. */
    public static TargetFactory kcl(Path jar, List<String> jvmFlags, List<String> workerSettings, Path logDir) {
        return (stack, pairId, source) -> KclTarget.start(jar, jvmFlags, stack, pairId, workerSettings, logDir.resolve("kcl-" + pairId + ".log"));
    }

    /** The Lambda handler in this JVM, driven by the event source mapping emulator. */
    public static TargetFactory lambda() {
        return (stack, pairId, source) -> new LambdaTarget(stack, source, LambdaTarget.defaultConcurrency());
    }

    /** Creates the DLQ bucket; once per stack. */
    public static void prepare(Stack stack) {
        stack.s3Client().createBucket(b -> b.bucket(DLQ_BUCKET));
    }

    public Result measure(String name, TargetFactory factory, int concurrency) throws Exception {
        String id = name.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        String source = "src-" + id;
        String replica = "rep-" + id;
        String plain = "plain-" + id;
        DynamoDbClient sourceClient = stack.sourceClient();
        DynamoDbClient replicaClient = stack.replicaClient();
        TestTables.createWithStream(sourceClient, source, TableShape.HASH_ONLY);
        TestTables.create(replicaClient, replica, TableShape.HASH_ONLY);
        TestTables.create(replicaClient, plain, TableShape.HASH_ONLY);
        TombstoneTable.ensureExists(replicaClient, PLAIN_TOMBSTONES);
        new PairRegistry(sourceClient, PairRegistry.DEFAULT_TABLE, Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL))
                .add(TablePair.of(id, source, StackServer.SOURCE_REGION, replica, StackServer.REPLICA_REGION, Instant.now()));
        Set<String> keys = new HashSet<>();
        long maxRss = 0;
        long started = System.nanoTime();
        try (Target target = factory.start(stack, id, source)) {
            log.accept(String.format("%s: running after %.0f s", name, (System.nanoTime() - started) / 1e9));
            // Warm-up of the replicator, the server and the plain writers (the JIT of all three), not measured.
            int warmup = Math.max(1000, settings.items() / 2);
            // Not paused: DynamoDB Local opens the stream's shard on the first write, and KCL leases it only then.
            drain(target, sourceClient, source, Items.distinct("warm-", warmup, 1), keys, false);
            drain(target, sourceClient, source, Items.distinct("warm2-", warmup, 2), keys, true);
            PlainWrites.putItems(replicaClient, plain, Items.with(Items.distinct("warm-", settings.items(), 1), VERSION), concurrency);
            PlainWrites.guardedInserts(replicaClient, plain, PLAIN_TOMBSTONES, Items.with(Items.distinct("warm2-", warmup, 2), VERSION),
                    concurrency, DynamoDbReplicaStore.NEW_ITEMS_PER_TRANSACTION);
            List<Run> inserts = new ArrayList<>();
            List<Run> hot = new ArrayList<>();
            for (int run = 1; run <= settings.runs(); run++) {
                inserts.add(run(target, Workload.INSERTS, run, source, plain, concurrency, keys));
                maxRss = Math.max(maxRss, target.memory().rssKb());
                hot.add(run(target, Workload.HOT_KEYS, run, source, plain, concurrency, keys));
                maxRss = Math.max(maxRss, target.memory().rssKb());
            }
            WorkloadResult insertResult = new WorkloadResult(Workload.INSERTS, inserts);
            double lagRate = insertResult.medianRate() / 2;
            LagProbe.Result lag = LagProbe.run(sourceClient, source, replicaClient, replica, "lag-", lagRate, settings.lagMillis());
            log.accept(String.format("%s: lag at %.0f writes/s: p50 %.0f ms, p99 %.0f ms (%d samples)", name, lag.rate(), lag.p50Millis(),
                    lag.p99Millis(), lag.samples()));
            maxRss = Math.max(maxRss, target.memory().rssKb());
            ProcessMemory memory = target.memory();
            long expected = keys.size() + lag.writes();
            long inReplica = count(replicaClient, replica);
            if (inReplica != expected) {
                throw new IllegalStateException(name + ": the replica holds " + inReplica + " items, expected " + expected);
            }
            return new Result(name, concurrency, insertResult, new WorkloadResult(Workload.HOT_KEYS, hot), lag, memory, maxRss);
        }
    }

    private Run run(Target target, Workload workload, int run, String source, String plain, int concurrency, Set<String> keys)
            throws InterruptedException {
        String prefix = (workload == Workload.INSERTS ? "ins" : "hot") + run + "-";
        List<Map<String, AttributeValue>> writes = writes(workload, prefix, run);
        List<Map<String, AttributeValue>> plainWrites = Items.with(writes(workload, "plain-" + prefix + "a-", run), VERSION);
        double before = PlainWrites.putItems(stack.replicaClient(), plain, plainWrites, concurrency);
        double rate = drain(target, stack.sourceClient(), source, writes, keys, true);
        plainWrites = Items.with(writes(workload, "plain-" + prefix + "b-", run), VERSION);
        double after = PlainWrites.putItems(stack.replicaClient(), plain, plainWrites, concurrency);
        double protocol = Double.NaN;
        if (workload == Workload.INSERTS) {
            protocol = PlainWrites.guardedInserts(stack.replicaClient(), plain, PLAIN_TOMBSTONES,
                    Items.with(writes(workload, "plain-" + prefix + "c-", run), VERSION), concurrency, DynamoDbReplicaStore.NEW_ITEMS_PER_TRANSACTION);
        }
        Run result = new Run(rate, before, after, protocol);
        log.accept(String.format("%s %s run %d: %.0f events/s; plain PutItem %.0f and %.0f items/s; ratio %.2f%s", target.name(), workload,
                run, rate, before, after, result.ratio(), Double.isNaN(protocol) ? ""
                        : String.format("; the write protocol sent plainly %.0f items/s", protocol)));
        return result;
    }

    private List<Map<String, AttributeValue>> writes(Workload workload, String prefix, int run) {
        return workload == Workload.INSERTS
                ? Items.distinct(prefix, settings.items(), run)
                : Items.hotKeys(prefix, settings.items(), settings.items() / 5, run);
    }

    /** Pauses the replicator, loads the writes, resumes it and returns its steady rate until every event is finished. */
    private static double drain(Target target, DynamoDbClient client, String table, List<Map<String, AttributeValue>> writes, Set<String> keys,
                                boolean paused) throws InterruptedException {
        long before = target.finishedEvents();
        if (paused) {
            target.pause();
        }
        try {
            PlainWrites.putItems(client, table, writes, LOAD_THREADS);
        } finally {
            if (paused) {
                target.resume();
            }
        }
        writes.forEach(w -> keys.add(w.get(Items.KEY).s()));
        try (Sampler sampler = new Sampler(target::finishedEvents, before, 25)) {
            sampler.awaitCount(writes.size(), 180_000, target.name());
            return Stats.windowRate(sampler.samples(), writes.size(), 0.1, 0.9);
        }
    }

    private static long count(DynamoDbClient client, String table) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = client.scan(b -> b.tableName(table).select(Select.COUNT).exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }
}
