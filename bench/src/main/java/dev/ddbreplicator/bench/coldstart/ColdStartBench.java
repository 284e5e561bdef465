package dev.ddbreplicator.bench.coldstart;

import dev.ddbreplicator.bench.ChildJvm;
import dev.ddbreplicator.bench.Stats;
import dev.ddbreplicator.bench.replication.ReplicationBench;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Lambda replicator's cold start without SnapStart: a new JVM on the deployment jar, from the
 * launch of {@code java} to the first event handled ({@link ColdStartProbe}), several times.
 */
public final class ColdStartBench {

    private static final String SOURCE = "cold-source";
    private static final String REPLICA = "cold-replica";

    /** Medians over the runs: wall time from launch, and the JVM's own uptime at the end of init and of the first event. */
    public record Result(List<String> jvmFlags, double launchToHandledMillis, double initUptimeMillis, double handledUptimeMillis,
                         List<Double> runs, long jarBytes) {
    }

    private final Stack stack;
    private final Consumer<String> log;
    private int runs;

    public ColdStartBench(Stack stack, Consumer<String> log) {
        this.stack = stack;
        this.log = log;
    }

    public void prepare() {
        TestTables.createWithStream(stack.sourceClient(), SOURCE, TableShape.HASH_ONLY);
        TestTables.create(stack.replicaClient(), REPLICA, TableShape.HASH_ONLY);
        new PairRegistry(stack.sourceClient(), PairRegistry.DEFAULT_TABLE, Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL))
                .add(TablePair.of("cold-start", SOURCE, StackServer.SOURCE_REGION, REPLICA, StackServer.REPLICA_REGION, Instant.now()));
        // The stream must exist before its ARN can be named; one write opens it.
        stack.sourceClient().putItem(b -> b.tableName(SOURCE).item(Map.of("pk", AttributeValue.fromS("opener"))));
    }

    public Result measure(Path lambdaJar, List<String> jvmFlags, int count, Path logDir) throws Exception {
        String classes = Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String streamArn = StreamReader.streamArn(stack.sourceClient(), SOURCE);
        List<Double> walls = new ArrayList<>();
        List<Double> inits = new ArrayList<>();
        List<Double> handled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "cold-" + (++runs);
            List<String> launch = List.of("-cp", lambdaJar + File.pathSeparator + classes, ColdStartProbe.class.getName(),
                    StackServer.SOURCE_REGION, stack.sourceEndpoint().toString(), StackServer.REPLICA_REGION,
                    stack.replicaEndpoint().toString(), stack.s3Endpoint().toString(), ReplicationBench.DLQ_BUCKET, SOURCE, streamArn, key);
            try (ChildJvm probe = ChildJvm.start(jvmFlags, launch, logDir.resolve("coldstart-" + runs + ".log"))) {
                String[] line = probe.awaitLine("HANDLED ", Duration.ofMinutes(2)).split(" ");
                double wall = (System.nanoTime() - probe.startedNanos()) / 1e6;
                walls.add(wall);
                inits.add(Double.parseDouble(line[1]));
                handled.add(Double.parseDouble(line[2]));
            }
            var item = stack.replicaClient().getItem(b -> b.tableName(REPLICA).key(Map.of("pk", AttributeValue.fromS(key))).consistentRead(true));
            if (!item.hasItem() || item.item().isEmpty()) {
                throw new IllegalStateException("the cold start's event did not reach the replica (" + key + ")");
            }
        }
        Result result = new Result(jvmFlags, Stats.median(walls), Stats.median(inits), Stats.median(handled), walls, Files.size(lambdaJar));
        log.accept(String.format("cold start %s: launch to first event handled %.0f ms (runs %s); init ends at %.0f ms of JVM uptime",
                jvmFlags, result.launchToHandledMillis(), walls.stream().map(w -> String.format("%.0f", w)).toList(),
                result.initUptimeMillis()));
        return result;
    }
}
