package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.aws.ReplicaStores;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.backfill.BackfillResult;
import dev.ddbreplicator.core.backfill.BackfillSettings;
import dev.ddbreplicator.core.backfill.Backfiller;
import dev.ddbreplicator.core.backfill.PageHook;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.ReplicaStore;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.WriteStatus;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Issue 8: a backfill copies existing items while the replicator applies the stream, without a
 * gap and without bringing back an item deleted meanwhile. Each test forces one interleaving:
 * the scan has read a page, the change goes through the stream and the replicator, then the page
 * is written.
 */
class BackfillTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static final DeadLetterStore NO_POISON = new DeadLetterStore() {
        @Override
        public void put(DeadLetter letter) {
            throw new AssertionError("unexpected poison: " + letter.reason());
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
    void anItemDeletedDuringTheBackfillWhoseDeleteIsAppliedBeforeTheScannedCopyArrivesStaysDeleted() throws Exception {
        TablePair pair = tables("deleted");
        Map<String, AttributeValue> doomed = key("item-7");
        BackfillResult result;
        try (PairReplicator replicator = local.replicator(pair, NO_POISON)) {
            // The page holding item-7 is read; then the item is deleted at the source and the
            // replicator applies that delete; only then is the page written.
            PageHook deleteThenReplicate = onFirstPage(() -> {
                local.sourceClient().deleteItem(b -> b.tableName("deleted").key(doomed));
                applyStream(replicator, "deleted");
            });
            result = backfill(pair, store(pair), deleteThenReplicate);
        }

        assertThat(local.replicaClient().getItem(b -> b.tableName("deleted").key(doomed).consistentRead(true)).item()).isEmpty();
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.written()).isEqualTo(19);
        assertEqual("deleted");
    }

    @Test
    void theSameInterleavingBringsTheItemBackWithoutTheTombstoneCheck() throws Exception {
        // Shows the test above forces a real race: a put that only checks the replica item resurrects.
        TablePair pair = tables("naive");
        Map<String, AttributeValue> doomed = key("item-7");
        try (PairReplicator replicator = local.replicator(pair, NO_POISON)) {
            PageHook deleteThenReplicate = onFirstPage(() -> {
                local.sourceClient().deleteItem(b -> b.tableName("naive").key(doomed));
                applyStream(replicator, "naive");
            });
            backfill(pair, naiveStore("naive"), deleteThenReplicate);
        }

        assertThat(local.replicaClient().getItem(b -> b.tableName("naive").key(doomed).consistentRead(true)).item()).isNotEmpty();
        TableDiff diff = new TableComparer(Set.of("_rv")).compare(local.sourceClient(), "naive", local.replicaClient(), "naive");
        assertThat(diff.extra()).isEqualTo(1);
    }

    @Test
    void anItemChangedDuringTheBackfillKeepsTheReplicatedChangeNotTheOlderScannedCopy() throws Exception {
        TablePair pair = tables("changed");
        Map<String, AttributeValue> changed = key("item-3");
        BackfillResult result;
        try (PairReplicator replicator = local.replicator(pair, NO_POISON)) {
            PageHook changeThenReplicate = onFirstPage(() -> {
                local.sourceClient().updateItem(b -> b.tableName("changed").key(changed)
                        .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("changed-during-backfill"))));
                applyStream(replicator, "changed");
            });
            result = backfill(pair, store(pair), changeThenReplicate);
        }

        Map<String, AttributeValue> replica = local.replicaClient().getItem(b -> b.tableName("changed").key(changed).consistentRead(true)).item();
        assertThat(replica.get("status").s()).isEqualTo("changed-during-backfill");
        assertThat(replica.get("_rv").s()).isNotEqualTo(ReplicaVersion.BACKFILL.value());
        assertThat(result.skipped()).isEqualTo(1);
        assertEqual("changed");
    }

    @Test
    void aSecondBackfillWritesNothingAndAStreamChangeAfterTheBackfillReplacesTheCopy() throws Exception {
        TablePair pair = tables("twice");
        BackfillResult first = backfill(pair, store(pair), PageHook.NONE);
        BackfillResult second = backfill(pair, store(pair), PageHook.NONE);

        assertThat(first.written()).isEqualTo(20);
        assertThat(second.written()).isZero();
        assertThat(second.skipped()).isEqualTo(20);

        local.sourceClient().updateItem(b -> b.tableName("twice").key(key("item-1"))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("later"))));
        try (PairReplicator replicator = local.replicator(pair, NO_POISON)) {
            applyStream(replicator, "twice");
        }
        assertEqual("twice");
    }

    /** A source of 20 items written before its stream existed, an empty replica, and their pair. */
    private static TablePair tables(String name) {
        TestTables.create(local.sourceClient(), name, TableShape.HASH_ONLY);
        for (int i = 0; i < 20; i++) {
            Map<String, AttributeValue> item = new HashMap<>(key("item-" + i));
            item.put("status", AttributeValue.fromS("original"));
            local.sourceClient().putItem(b -> b.tableName(name).item(item));
        }
        local.sourceClient().updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_AND_OLD_IMAGES)));
        TestTables.create(local.replicaClient(), name, TableShape.HASH_ONLY);
        return local.pair("p-" + name, name, name);
    }

    private static BackfillResult backfill(TablePair pair, ReplicaStore store, PageHook hook) throws InterruptedException {
        // One segment and one page: the whole table is the page the hook holds back.
        BackfillSettings settings = new BackfillSettings(1, 0, 4, 100);
        return new Backfiller(local.sourceClient(), pair.sourceTable(), store, pair.versionAttribute(), settings,
                new Retrier(RetryPolicy.WRITE), hook).run();
    }

    private static ReplicaStore store(TablePair pair) {
        return ReplicaStores.forPair(local.clients, ReplicatorSettings.defaults(), pair, LocalReplication.CLOCK);
    }

    /** A store that puts only if the replica item has no version, and checks no tombstone. */
    private static ReplicaStore naiveStore(String table) {
        return new ReplicaStore() {
            @Override
            public WriteStatus put(ItemKey key, Map<String, AttributeValue> item, ReplicaVersion version, boolean expectNew) {
                try {
                    local.replicaClient().putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#v)")
                            .expressionAttributeNames(Map.of("#v", "_rv")));
                    return WriteStatus.APPLIED;
                } catch (ConditionalCheckFailedException e) {
                    return WriteStatus.STALE;
                }
            }

            @Override
            public WriteStatus delete(ItemKey key, ReplicaVersion version) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static void applyStream(PairReplicator replicator, String table) {
        List<ChangeEvent> events = local.streamEvents(table);
        assertThat(events).isNotEmpty();
        LocalReplication.applyLikeARuntime(replicator, events, 100);
    }

    private static PageHook onFirstPage(Runnable interleaved) {
        AtomicBoolean done = new AtomicBoolean();
        return (segment, items) -> {
            if (done.compareAndSet(false, true)) {
                assertThat(items).hasSize(20);
                interleaved.run();
            }
        };
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    private static void assertEqual(String table) {
        TableDiff diff = new TableComparer(Set.of("_rv")).compare(local.sourceClient(), table, local.replicaClient(), table);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }
}
