package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real workload on a real table, read from its real stream and written through the core. */
class ReplicationEndToEndTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalReplication local;

    @BeforeAll
    static void wire() {
        local = new LocalReplication(AWS.source(), AWS.replica(), Optional.of(S3.server().endpoint()));
        local.clients.s3("us-east-1").createBucket(b -> b.bucket("dlq"));
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void moreThanFiveThousandMixedChangesFromTheRealStreamLeaveTheReplicaEqual() {
        TestTables.createWithStream(local.sourceClient(), "orders", TableShape.HASH_AND_RANGE);
        TestTables.create(local.replicaClient(), "orders", TableShape.HASH_AND_RANGE);
        new Workload(TableShape.HASH_AND_RANGE, 2000, 11, 0.5, 0.3).run(local.sourceClient(), "orders", 6500, 4);

        List<ChangeEvent> events = local.streamEvents("orders");
        assertThat(events).hasSizeGreaterThanOrEqualTo(5000);
        assertThat(events).extracting(ChangeEvent::kind).contains(ChangeKind.INSERT, ChangeKind.MODIFY, ChangeKind.REMOVE);

        TablePair pair = local.pair("orders-eu", "orders", "orders");
        try (PairReplicator replicator = local.replicator(pair, deadLetters())) {
            LocalReplication.applyLikeARuntime(replicator, events, 100);

            TableDiff diff = new TableComparer(Set.of("_rv")).compare(local.sourceClient(), "orders", local.replicaClient(), "orders");
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
            assertThat(diff.sourceItems()).isGreaterThan(1000);
            double applied = replicator.metrics().count(WriteOutcome.APPLIED);
            double stale = replicator.metrics().count(WriteOutcome.STALE);
            assertThat(applied + stale).isEqualTo(events.size());
            assertThat(replicator.metrics().count(WriteOutcome.POISON)).isZero();
        }
    }

    private static S3DeadLetterStore deadLetters() {
        return new S3DeadLetterStore(local.clients.s3("us-east-1"), "dlq", "", new Retrier(RetryPolicy.CONTROL));
    }
}
