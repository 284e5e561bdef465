package dev.ddbreplicator.bench.replication;

import dev.ddbreplicator.bench.Items;
import dev.ddbreplicator.bench.PlainWrites;
import dev.ddbreplicator.bench.Stats;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the Lambda replicator's rate grows with shards. DynamoDB Local gives every stream one shard,
 * so N shards are stood in for by N tables, each with its own stream, pair, execution environment
 * (handler) and poller, drained at once, as Lambda runs one environment per shard.
 */
public final class ScalingBench {

    /** The total rate with {@code streams} streams drained at once (median of the runs). */
    public record Point(int streams, double rate, List<Double> runs) {
    }

    private final Stacks stacks;
    private final Consumer<String> log;

    /** Starts a stack of its own for each point. */
    @FunctionalInterface
    public interface Stacks {
        Stack start() throws Exception;
    }

    public ScalingBench(Stacks stacks, Consumer<String> log) {
        this.stacks = stacks;
        this.log = log;
    }

    public List<Point> measure(List<Integer> counts, int itemsPerStream, int runs) throws Exception {
        List<Point> points = new ArrayList<>();
        for (int count : counts) {
            List<LambdaTarget> targets = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            // A fresh stack for each point: DynamoDB Local's stream calls slow down as its stream records
            // grow, so the points measured later would be held back by the earlier ones' records.
            try (Stack stack = stacks.start(); AutoCloseable closeTargets = () -> targets.forEach(LambdaTarget::close)) {
                PairRegistry registry = new PairRegistry(stack.sourceClient(), PairRegistry.DEFAULT_TABLE, Clock.systemUTC(),
                        Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
                for (int i = 0; i < count; i++) {
                    String id = "scale-" + count + "-" + i;
                    TestTables.createWithStream(stack.sourceClient(), "src-" + id, TableShape.HASH_ONLY);
                    TestTables.create(stack.replicaClient(), "rep-" + id, TableShape.HASH_ONLY);
                    registry.add(TablePair.of(id, "src-" + id, StackServer.SOURCE_REGION, "rep-" + id, StackServer.REPLICA_REGION,
                            Instant.now()));
                    sources.add("src-" + id);
                    // The stream exists once written to; a few items also warm the environment up.
                    PlainWrites.putItems(stack.sourceClient(), "src-" + id, Items.distinct("warm-", 200, i), 4);
                    targets.add(new LambdaTarget(stack, "src-" + id, LambdaTarget.defaultConcurrency()));
                }
                long warm = 200L * count;
                try (Sampler warmup = new Sampler(() -> total(targets), 0, 25)) {
                    warmup.awaitCount(warm, 120_000, "scaling warm-up");
                }
                List<Double> rates = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    long before = total(targets);
                    targets.forEach(LambdaTarget::pause);
                    try {
                        for (int i = 0; i < count; i++) {
                            PlainWrites.putItems(stack.sourceClient(), sources.get(i), Items.distinct("r" + run + "-", itemsPerStream, run), 8);
                        }
                    } finally {
                        targets.forEach(LambdaTarget::resume);
                    }
                    long expected = (long) itemsPerStream * count;
                    try (Sampler sampler = new Sampler(() -> total(targets), before, 25)) {
                        sampler.awaitCount(expected, 180_000, "scaling with " + count + " streams");
                        rates.add(Stats.windowRate(sampler.samples(), expected, 0.1, 0.9));
                    }
                    log.accept(String.format("scaling: %d streams, run %d: %.0f events/s", count, run, rates.get(rates.size() - 1)));
                }
                points.add(new Point(count, Stats.median(rates), rates));
            }
        }
        return points;
    }

    private static long total(List<LambdaTarget> targets) {
        return targets.stream().mapToLong(LambdaTarget::finishedEvents).sum();
    }
}
