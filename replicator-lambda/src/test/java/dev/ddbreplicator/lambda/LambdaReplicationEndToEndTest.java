package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.status.PairStatus;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import dev.ddbreplicator.testkit.lambda.PollerStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** The handler on a real stream, driven by the testkit poller as Lambda's event source mapping would drive it. */
class LambdaReplicationEndToEndTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LambdaTestStack stack;

    @BeforeAll
    static void stack() {
        stack = new LambdaTestStack(AWS.source(), AWS.replica(), S3.server());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void moreThanFiveThousandMixedChangesFollowedLiveEndWithTheReplicaEqual() throws Exception {
        TestTables.createWithStream(stack.sourceClient, "orders", TableShape.HASH_AND_RANGE);
        TestTables.create(stack.replicaClient, "orders", TableShape.HASH_AND_RANGE);
        TablePair pair = stack.register("orders-eu", "orders", "orders", TtlDeletePolicy.REPLICATE);
        ReplicatorHandler handler = stack.handler("e2e");

        PollerStats stats;
        try (LambdaStreamPoller poller = stack.poller("orders", handler).batchSize(500).build()) {
            // The poller follows the stream while the workload writes, as Lambda would.
            poller.start();
            CompletableFuture<Long> workload = CompletableFuture.supplyAsync(() ->
                    new Workload(TableShape.HASH_AND_RANGE, 2000, 11, 0.5, 0.3).run(stack.sourceClient, "orders", 6500, 4));
            assertThat(workload.get()).isEqualTo(6500);
            stats = poller.awaitCaughtUp(Duration.ofMinutes(3));
        }

        List<Record> records = new StreamReader(stack.streams).readAll(StreamReader.streamArn(stack.sourceClient, "orders"));
        assertThat(records).hasSizeGreaterThanOrEqualTo(5000);
        assertThat(records).extracting(r -> r.eventNameAsString()).contains("INSERT", "MODIFY", "REMOVE");
        TableDiff diff = stack.compare("orders", "orders");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        assertThat(diff.sourceItems()).isGreaterThan(1000);

        assertThat(stats.recordsCheckpointed()).isEqualTo(records.size());
        assertThat(stats.failedInvocations()).isZero();
        assertThat(stats.recordsDiscarded()).isZero();

        // Status went to the control table after every batch: it is complete and current.
        PairStatus status = stack.status(pair.id());
        assertThat(status.applied() + status.stale()).isEqualTo(records.size());
        assertThat(status.poison()).isZero();
        assertThat(status.lastSequenceNumber()).contains(records.get(records.size() - 1).dynamodb().sequenceNumber());

        // One JSON line per batch, with the counts and the lag.
        assertThat(stack.batchLines).hasSize((int) stats.invocations());
        assertThat(stack.batchLines).allSatisfy(line -> assertThat(line)
                .startsWith("{\"event\":\"batch\",\"level\":\"INFO\",\"table\":\"orders\"")
                .contains("\"pair\":\"orders-eu\"", "\"lagMsMax\":", "\"lagMsLast\":")
                .doesNotContain("retryFrom"));
    }
}
