package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.aws.ReplicaStores;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.verify.RepairResult;
import dev.ddbreplicator.core.verify.ReplicaRepairer;
import dev.ddbreplicator.core.verify.TableVerifier;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.verify.VerifySettings;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 8: verify tells in-flight changes from real differences, and repair fixes them without undoing newer ones. */
class VerifyRepairTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static final DeadLetterStore NONE = new DeadLetterStore() {
        @Override
        public void put(DeadLetter letter) {
            throw new AssertionError(letter.reason());
        }

        @Override
        public List<DeadLetter> list(String pairId) {
            return List.of();
        }

        @Override
        public void delete(String pairId, String sequenceNumber) {
        }
    };

    private static LocalReplication local;

    @BeforeAll
    static void wire() {
        local = new LocalReplication(AWS.source(), AWS.replica(), Optional.empty());
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void aReplicatedTableIsEqualAndChangesBehindTheReplicatorsBackAreFoundThenRepaired() throws Exception {
        TablePair pair = replicated("tampered");
        assertThat(verify(pair).isEqual()).isTrue();

        Map<String, AttributeValue> changedKey = Map.of("pk", AttributeValue.fromS("k1"));
        Map<String, AttributeValue> changed = new HashMap<>(local.replicaClient().getItem(b -> b.tableName("tampered").key(changedKey)).item());
        changed.put("status", AttributeValue.fromS("edited by hand in the replica"));
        local.replicaClient().putItem(b -> b.tableName("tampered").item(changed));
        Map<String, AttributeValue> removedKey = Map.of("pk", AttributeValue.fromS("k2"));
        local.replicaClient().deleteItem(b -> b.tableName("tampered").key(removedKey));
        Map<String, AttributeValue> extra = Map.of("pk", AttributeValue.fromS("only-in-replica"), "_rv", AttributeValue.fromS("0".repeat(40)));
        local.replicaClient().putItem(b -> b.tableName("tampered").item(extra));

        VerifyReport report = verify(pair);
        assertThat(report.different()).isEqualTo(1);
        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.extra()).isEqualTo(1);
        assertThat(report.differentExamples()).containsExactly(new ItemKey(changedKey));
        assertThat(report.missingExamples()).containsExactly(new ItemKey(removedKey));

        RepairResult repair = repairer(pair).repair(report);
        assertThat(repair.repaired()).isEqualTo(3);
        assertThat(verify(pair).isEqual()).isTrue();

        // The repair kept the item's version, so a later change from the stream still lands.
        local.sourceClient().updateItem(b -> b.tableName("tampered").key(changedKey).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", AttributeValue.fromS("newer"))));
        try (PairReplicator replicator = local.replicator(pair, NONE)) {
            LocalReplication.applyLikeARuntime(replicator, local.streamEvents("tampered"), 100);
        }
        assertThat(local.replicaClient().getItem(b -> b.tableName("tampered").key(changedKey)).item().get("status").s()).isEqualTo("newer");
        assertThat(verify(pair).isEqual()).isTrue();
    }

    @Test
    void aRepairNeverOverwritesAChangeTheReplicatorAppliedAfterTheVerify() throws Exception {
        TablePair pair = replicated("raced");
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k3"));
        Map<String, AttributeValue> tampered = new HashMap<>(local.replicaClient().getItem(b -> b.tableName("raced").key(key)).item());
        tampered.put("status", AttributeValue.fromS("edited by hand"));
        local.replicaClient().putItem(b -> b.tableName("raced").item(tampered));
        VerifyReport report = verify(pair);
        assertThat(report.different()).isEqualTo(1);

        // Between verify and repair the item changes at the source and the replicator applies it.
        local.sourceClient().updateItem(b -> b.tableName("raced").key(key).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", AttributeValue.fromS("newest"))));
        try (PairReplicator replicator = local.replicator(pair, NONE)) {
            LocalReplication.applyLikeARuntime(replicator, local.streamEvents("raced"), 100);
        }
        String versionAfterReplication = local.replicaClient().getItem(b -> b.tableName("raced").key(key)).item().get("_rv").s();

        RepairResult repair = repairer(pair).repair(report);
        assertThat(repair.repaired()).isZero();
        assertThat(repair.settled()).isEqualTo(1);
        Map<String, AttributeValue> after = local.replicaClient().getItem(b -> b.tableName("raced").key(key)).item();
        assertThat(after.get("status").s()).isEqualTo("newest");
        assertThat(after.get("_rv").s()).isEqualTo(versionAfterReplication);
    }

    @Test
    void aSourceItemCarryingTheVersionAttributeIsReportedAndNeverRepairedOver() throws Exception {
        TablePair pair = replicated("clash");
        // The replica's copy of k4 holds the version in _rv; the source now has a value of its own there,
        // which the replica cannot hold. Ignoring _rv on both sides would call the two equal.
        Map<String, AttributeValue> clashKey = Map.of("pk", AttributeValue.fromS("k4"));
        local.sourceClient().updateItem(b -> b.tableName("clash").key(clashKey).updateExpression("SET #v = :v")
                .expressionAttributeNames(Map.of("#v", "_rv")).expressionAttributeValues(Map.of(":v", AttributeValue.fromS("source's own"))));
        Map<String, AttributeValue> newKey = Map.of("pk", AttributeValue.fromS("new-with-rv"));
        local.sourceClient().putItem(b -> b.tableName("clash").item(Map.of("pk", newKey.get("pk"), "_rv", AttributeValue.fromN("7"))));

        VerifyReport report = verify(pair);
        assertThat(report.differentExamples()).containsExactly(new ItemKey(clashKey));
        assertThat(report.missingExamples()).containsExactly(new ItemKey(newKey));

        String versionBefore = local.replicaClient().getItem(b -> b.tableName("clash").key(clashKey)).item().get("_rv").s();
        RepairResult repair = repairer(pair).repair(report);
        assertThat(repair.repaired()).isZero();
        assertThat(repair.refused()).isEqualTo(2);
        assertThat(local.replicaClient().getItem(b -> b.tableName("clash").key(clashKey)).item().get("_rv").s()).isEqualTo(versionBefore);
        assertThat(local.replicaClient().getItem(b -> b.tableName("clash").key(newKey)).hasItem()).isFalse();
    }

    @Test
    void changesStillInFlightWhenTheScanRanAreNotReportedOnceTheyArrive() throws Exception {
        TablePair pair = replicated("inflight");
        // New changes at the source that the replicator applies only after the scans: the verify's
        // recheck sees them arrive and does not report them.
        new Workload(TableShape.HASH_ONLY, 40, 9, 0.5, 0.3).run(local.sourceClient(), "inflight", 60, 1);
        TableVerifier verifier = new TableVerifier(local.sourceClient(), "inflight", local.replicaClient(), "inflight", "_rv",
                new VerifySettings(2, 3, Duration.ofSeconds(2), 10), new Retrier(RetryPolicy.CONTROL));
        CompletableFuture<Void> lateReplication = CompletableFuture.runAsync(() -> {
            sleep(700);
            try (PairReplicator replicator = local.replicator(pair, NONE)) {
                LocalReplication.applyLikeARuntime(replicator, local.streamEvents("inflight"), 100);
            }
        });
        VerifyReport report = verifier.verify();
        lateReplication.get();

        assertThat(report.isEqual()).as(report.toString()).isTrue();
        assertThat(report.settled()).isPositive();
    }

    private static TablePair replicated(String table) {
        TestTables.createWithStream(local.sourceClient(), table, TableShape.HASH_ONLY);
        TestTables.create(local.replicaClient(), table, TableShape.HASH_ONLY);
        new Workload(TableShape.HASH_ONLY, 40, 3, 1.0, 0.0).run(local.sourceClient(), table, 200, 2);
        TablePair pair = local.pair("p-" + table, table, table);
        try (PairReplicator replicator = local.replicator(pair, NONE)) {
            LocalReplication.applyLikeARuntime(replicator, local.streamEvents(table), 100);
        }
        return pair;
    }

    private static VerifyReport verify(TablePair pair) throws InterruptedException {
        return new TableVerifier(local.sourceClient(), pair.sourceTable(), local.replicaClient(), pair.replicaTable(), pair.versionAttribute(),
                VerifySettings.defaults().withRecheckDelay(Duration.ofMillis(100)), new Retrier(RetryPolicy.CONTROL)).verify();
    }

    private static ReplicaRepairer repairer(TablePair pair) {
        return new ReplicaRepairer(local.sourceClient(), pair.sourceTable(), local.replicaClient(), pair.replicaTable(), pair.versionAttribute(),
                ReplicaStores.forPair(local.clients, ReplicatorSettings.defaults(), pair, LocalReplication.CLOCK), new Retrier(RetryPolicy.CONTROL));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
