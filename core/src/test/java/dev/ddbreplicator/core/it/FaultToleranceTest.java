package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.testkit.FaultInjector;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Throttling, lost answers and a replica region going away: replication is delayed, nothing is lost. */
class FaultToleranceTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1").persistent();

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final String[] WRITES = {"PutItem", "DeleteItem", "TransactWriteItems"};

    private static List<ChangeEvent> events;

    @BeforeAll
    static void recordAWorkload() {
        try (LocalReplication local = new LocalReplication(AWS.source(), AWS.replica(), Optional.empty())) {
            TestTables.createWithStream(local.sourceClient(), "source", TableShape.HASH_AND_RANGE);
            Workload.mixed(TableShape.HASH_AND_RANGE, 600, 3).run(local.sourceClient(), "source", 2000, 3);
            events = local.streamEvents("source");
        }
        try (var s3 = S3.server().client()) {
            s3.createBucket(b -> b.bucket("dlq"));
        }
    }

    @AfterAll
    static void done() {
        events = null;
    }

    @Test
    void throttlingOfAThirdOfTheWritesLosesNothing() {
        FaultInjector throttling = new FaultInjector(0.33, 7, WRITES);
        try (LocalReplication local = new LocalReplication(AWS.source(), AWS.replica(), Optional.of(S3.server().endpoint()), throttling);
             PairReplicator replicator = replicator(local, "throttled")) {
            LocalReplication.applyLikeARuntime(replicator, events, 100);

            assertThat(throttling.injected()).isGreaterThan(300);
            assertThat(replicator.metrics().retries()).isGreaterThanOrEqualTo(throttling.injected() - replicator.metrics().count(WriteOutcome.RETRYABLE_FAILURE) * 6);
            assertThat(replicator.metrics().count(WriteOutcome.POISON)).isZero();
            assertEqual(local, "throttled");
        }
    }

    @Test
    void writesWhoseAnswerIsLostAreNotAppliedTwiceNorLost() {
        FaultInjector lostAnswers = new FaultInjector(FaultInjector.Phase.AFTER_SEND, 0.25, 9, WRITES);
        try (LocalReplication local = new LocalReplication(AWS.source(), AWS.replica(), Optional.of(S3.server().endpoint()), lostAnswers);
             PairReplicator replicator = replicator(local, "lost")) {
            LocalReplication.applyLikeARuntime(replicator, events, 100);

            assertThat(lostAnswers.injected()).isGreaterThan(200);
            assertEqual(local, "lost");
        }
    }

    @Test
    void aReplicaRegionThatStopsForAWhileDelaysReplicationAndLosesNothing() throws Exception {
        try (LocalReplication local = new LocalReplication(AWS.source(), AWS.replica(), Optional.of(S3.server().endpoint()));
             PairReplicator replicator = replicator(local, "outage")) {
            CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> {
                sleep(300);
                AWS.replica().stop();
                sleep(3000);
                AWS.replica().start();
            });
            long attempts = LocalReplication.applyLikeARuntime(replicator, events, 50);
            outage.get();

            assertThat(replicator.metrics().count(WriteOutcome.RETRYABLE_FAILURE)).as("failures seen during the outage").isPositive();
            assertThat(attempts).isGreaterThan(events.size() / 50);
            assertEqual(local, "outage");
        }
    }

    private static PairReplicator replicator(LocalReplication local, String replicaTable) {
        TestTables.create(local.replicaClient(), replicaTable, TableShape.HASH_AND_RANGE);
        return local.replicator(local.pair("p-" + replicaTable, "source", replicaTable),
                new S3DeadLetterStore(local.clients.s3("us-east-1"), "dlq", "", new Retrier(RetryPolicy.CONTROL)));
    }

    private static void assertEqual(LocalReplication local, String replicaTable) {
        TableDiff diff = new TableComparer(Set.of("_rv")).compare(local.sourceClient(), "source", local.replicaClient(), replicaTable);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
