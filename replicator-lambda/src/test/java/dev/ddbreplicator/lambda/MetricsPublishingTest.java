package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The core's meters reach CloudWatch once per invocation, through the SDK's CloudWatch client, or not at all when off. */
class MetricsPublishingTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LambdaTestStack stack;
    private static FakeCloudWatch cloudWatch;

    @BeforeAll
    static void stack() {
        stack = new LambdaTestStack(AWS.source(), AWS.replica(), S3.server());
        cloudWatch = new FakeCloudWatch();
    }

    @AfterAll
    static void close() {
        stack.close();
        cloudWatch.close();
    }

    @Test
    void eachInvocationPublishesWhatItRecordedInOneCallUnderTheNamespace() {
        sourceWithPuts("metered", 30);
        ReplicatorHandler handler = stack.handler("metrics", LambdaTestStack.config(Optional.of("DdbReplicatorTest")),
                Optional.of(cloudWatch.endpoint()));
        cloudWatch.clear();

        PollerStats stats = stack.drain(stack.poller("metered", handler).batchSize(10).build(), Duration.ofMinutes(1));

        assertThat(stats.invocations()).isEqualTo(3);
        assertThat(cloudWatch.putMetricData()).hasSize(3).allSatisfy(call -> {
            assertThat(call.mentions("DdbReplicatorTest")).as("namespace").isTrue();
            assertThat(call.mentions(ReplicationMetrics.EVENTS)).isTrue();
            assertThat(call.mentions(ReplicationMetrics.LAG)).isTrue();
            assertThat(call.mentions("metered-eu")).as("pair dimension").isTrue();
            assertThat(call.mentions("applied")).as("outcome dimension").isTrue();
        });
        assertThat(cloudWatch.calls()).hasSize(3);
    }

    @Test
    void withMetricsOffNothingIsSent() {
        sourceWithPuts("quiet", 10);
        ReplicatorHandler handler = stack.handler("quiet", LambdaConfig.from(env("off")), Optional.of(cloudWatch.endpoint()));
        cloudWatch.clear();

        PollerStats stats = stack.drain(stack.poller("quiet", handler).batchSize(5).build(), Duration.ofMinutes(1));

        assertThat(stats.invocations()).isEqualTo(2);
        assertThat(stats.recordsCheckpointed()).isEqualTo(10);
        assertThat(cloudWatch.calls()).isEmpty();
    }

    @Test
    void anUnreachableCloudWatchNeverFailsNorHoldsUpABatch() {
        sourceWithPuts("unmetered", 10);
        java.net.URI nowhere = java.net.URI.create("http://127.0.0.1:" + dev.ddbreplicator.testkit.FreePorts.next());
        ReplicatorHandler handler = stack.handler("unmetered", LambdaTestStack.config(Optional.of("DdbReplicatorTest")), Optional.of(nowhere));

        PollerStats stats = stack.drain(stack.poller("unmetered", handler).batchSize(5).build(), Duration.ofMinutes(1));

        assertThat(stats.failedInvocations()).isZero();
        assertThat(stats.recordsCheckpointed()).isEqualTo(10);
        assertThat(stack.compare("unmetered", "unmetered").isEqual()).isTrue();
    }

    private static void sourceWithPuts(String table, int count) {
        TestTables.createWithStream(stack.sourceClient, table, TableShape.HASH_AND_RANGE);
        TestTables.create(stack.replicaClient, table, TableShape.HASH_AND_RANGE);
        stack.register(table + "-eu", table, table, TtlDeletePolicy.REPLICATE);
        Workload keys = Workload.mixed(TableShape.HASH_AND_RANGE, count, 1);
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new HashMap<>(keys.key(i));
            item.put("n", AttributeValue.fromN(Integer.toString(i)));
            stack.sourceClient.putItem(b -> b.tableName(table).item(item));
        }
    }

    private static java.util.function.Function<String, String> env(String namespace) {
        Map<String, String> env = Map.of(
                LambdaConfig.REGION, LambdaTestStack.SOURCE_REGION,
                LambdaConfig.DEAD_LETTER_BUCKET, LambdaTestStack.BUCKET,
                LambdaConfig.METRICS_NAMESPACE, namespace);
        return env::get;
    }
}
