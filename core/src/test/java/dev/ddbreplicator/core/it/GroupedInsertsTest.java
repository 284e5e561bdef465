package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.ReplicaStore.NewItem;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.ReplicaWriter;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.core.write.WriteStatus;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Inserts written several to a transaction ({@link DynamoDbReplicaStore#putAllNew}) on a real
 * table: each key gets exactly the outcome the one-key guarded put would give it.
 */
class GroupedInsertsTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static DynamoDbClient client;
    private static int tables;

    @BeforeAll
    static void connect() {
        client = AWS.replica().client();
        TombstoneTable.ensureExists(client, TombstoneTable.DEFAULT_NAME);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void eachKeyOfAGroupLandsOnlyUnderItsOwnConditions() {
        String table = newTable();
        DynamoDbReplicaStore store = store(table);
        store.put(key("newer"), item("newer", 50, "kept"), version(50), true);
        store.delete(key("deleted"), version(60));

        Map<ItemKey, WriteStatus> settled = store.putAllNew(List.of(newItem("a", 10), newItem("newer", 11), newItem("deleted", 12),
                newItem("b", 13)));

        assertThat(settled).containsOnly(Map.entry(key("a"), WriteStatus.APPLIED), Map.entry(key("newer"), WriteStatus.STALE),
                Map.entry(key("deleted"), WriteStatus.STALE), Map.entry(key("b"), WriteStatus.APPLIED));
        assertThat(read(table, "a")).containsEntry("value", AttributeValue.fromS("v10"));
        assertThat(read(table, "b")).containsEntry("value", AttributeValue.fromS("v13"));
        assertThat(read(table, "newer")).containsEntry("value", AttributeValue.fromS("kept"));
        assertThat(read(table, "deleted")).as("a newer delete is never undone").isEmpty();
    }

    @Test
    void aGroupDeliveredTwiceChangesNothingTheSecondTime() {
        String table = newTable();
        DynamoDbReplicaStore store = store(table);
        List<NewItem> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(newItem("k" + i, 100 + i));
        }

        Map<ItemKey, WriteStatus> first = store.putAllNew(items);
        Map<ItemKey, WriteStatus> second = store.putAllNew(items);

        assertThat(first).hasSize(60).containsOnlyKeys(items.stream().map(NewItem::key).toList())
                .allSatisfy((k, status) -> assertThat(status).isEqualTo(WriteStatus.APPLIED));
        assertThat(second).hasSize(60).allSatisfy((k, status) -> assertThat(status).isEqualTo(WriteStatus.STALE));
        assertThat(read(table, "k59")).containsEntry("value", AttributeValue.fromS("v159"));
    }

    @Test
    void aGroupWithAnInvalidItemSettlesNothingAndTheWriterStillWritesTheRestAndFindsItPoison() {
        String table = newTable();
        DynamoDbReplicaStore store = store(table);
        Map<String, AttributeValue> wrongKeyType = new HashMap<>(Map.of("pk", AttributeValue.fromN("7"), "value", AttributeValue.fromS("x")));
        NewItem invalid = new NewItem(new ItemKey(Map.of("pk", AttributeValue.fromN("7"))), withVersion(wrongKeyType, 20), version(20));

        assertThatThrownBy(() -> store.putAllNew(List.of(newItem("a", 21), invalid, newItem("b", 22))))
                .as("nothing settled: the call's error").isInstanceOf(RuntimeException.class);
        assertThat(read(table, "a")).isEmpty();

        List<ChangeEvent> batch = new ArrayList<>();
        batch.add(insert(new ItemKey(Map.of("pk", AttributeValue.fromN("7"))), wrongKeyType, 30));
        for (int i = 0; i < 6; i++) {
            batch.add(insert(key("w" + i), Map.of("pk", AttributeValue.fromS("w" + i), "value", AttributeValue.fromS("w")), 31 + i));
        }
        try (ReplicaWriter writer = new ReplicaWriter(store, new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 2),
                new Retrier(RetryPolicy.WRITE), Retrier.Listener.NONE)) {
            BatchResult result = writer.write(batch);

            assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.POISON, WriteOutcome.APPLIED,
                    WriteOutcome.APPLIED, WriteOutcome.APPLIED, WriteOutcome.APPLIED, WriteOutcome.APPLIED, WriteOutcome.APPLIED);
        }
        assertThat(read(table, "w5")).containsEntry("value", AttributeValue.fromS("w"));
    }

    private static String newTable() {
        String table = "grouped-" + (++tables);
        TestTables.create(client, table, TableShape.HASH_ONLY);
        return table;
    }

    private static DynamoDbReplicaStore store(String table) {
        return new DynamoDbReplicaStore(client, table, "_rv", new TombstoneTable(client, TombstoneTable.DEFAULT_NAME, table,
                Clock.systemUTC(), TombstoneTable.DEFAULT_RETENTION));
    }

    private static ItemKey key(String id) {
        return new ItemKey(Map.of("pk", AttributeValue.fromS(id)));
    }

    private static ReplicaVersion version(long sequence) {
        return ReplicaVersion.of(Long.toString(sequence));
    }

    private static Map<String, AttributeValue> item(String id, long sequence, String value) {
        return withVersion(Map.of("pk", AttributeValue.fromS(id), "value", AttributeValue.fromS(value)), sequence);
    }

    private static Map<String, AttributeValue> withVersion(Map<String, AttributeValue> image, long sequence) {
        Map<String, AttributeValue> item = new HashMap<>(image);
        item.put("_rv", AttributeValue.fromS(version(sequence).value()));
        return item;
    }

    private static NewItem newItem(String id, long sequence) {
        return new NewItem(key(id), item(id, sequence, "v" + sequence), version(sequence));
    }

    private static ChangeEvent insert(ItemKey key, Map<String, AttributeValue> image, long sequence) {
        return new ChangeEvent("source", key, Optional.empty(), Optional.of(image), ChangeKind.INSERT, Long.toString(sequence),
                Instant.now(), false);
    }

    private static Map<String, AttributeValue> read(String table, String id) {
        return client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(id))).consistentRead(true)).item();
    }
}
