package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Issue 5: restore into an existing table, stripping the replication version, recreating indexes and TTL, and refusing what does not fit. */
class RestoreOptionsTest {

    private static final String BUCKET = "options";
    private static final int ITEMS = 300;

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;
    private static RestoreJob restore;
    private static String exportId;

    @BeforeAll
    static void exportAReplicaTable() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket(BUCKET);
        restore = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC());
        // A replica as the replicator leaves it: a version attribute on every item, an index, TTL and a stream.
        local.dynamoDb().createTable(b -> b.tableName("replica")
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("name").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("by-name")
                        .keySchema(k -> k.attributeName("name").keyType(KeyType.HASH)).projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        local.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("replica"));
        local.dynamoDb().updateTimeToLive(b -> b.tableName("replica").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        LocalAws.load(local.dynamoDb(), "replica", ITEMS, i -> {
            Map<String, AttributeValue> item = new HashMap<>(TestItems.item(i, 4));
            item.put("_rv", AttributeValue.fromS(String.format("%040d", 1000 + i)));
            return item;
        }, 4);
        exportId = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("replica", BUCKET).segments(4).build()).exportId();
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void aNewTableIsRecreatedFromTheTableDescription() {
        restore.run(RestoreRequest.builder(BUCKET, exportId, "replica-copy").build());

        TableDescription copy = local.dynamoDb().describeTable(b -> b.tableName("replica-copy")).table();
        assertThat(copy.globalSecondaryIndexes()).singleElement().satisfies(g -> assertThat(g.indexName()).isEqualTo("by-name"));
        assertThat(copy.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(copy.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(local.dynamoDb().describeTimeToLive(b -> b.tableName("replica-copy")).timeToLiveDescription().attributeName())
                .isEqualTo("expires");
        assertThat(LocalAws.differences(local.dynamoDb(), "replica", "replica-copy", List.of("pk", "sk"), ITEMS, TestItems::key, 2)).isEmpty();
    }

    @Test
    void intoAnExistingTableWithTheVersionAttributeStripped() {
        TestTables.create(local.dynamoDb(), "existing", TableShape.HASH_AND_RANGE);
        local.dynamoDb().putItem(b -> b.tableName("existing").item(Map.of("pk", AttributeValue.fromS("other"), "sk", AttributeValue.fromN("1"))));

        RestoreResult result = restore.run(RestoreRequest.builder(BUCKET, exportId, "existing").intoExisting(true).stripAttribute("_rv").build());

        assertThat(result.tableCreated()).isFalse();
        assertThat(result.itemsWritten()).isEqualTo(ITEMS);
        assertThat(LocalAws.count(local.dynamoDb(), "existing")).as("the items already there stay").isEqualTo(ITEMS + 1);
        for (int i = 0; i < ITEMS; i += 37) {
            Map<String, AttributeValue> key = TestItems.key(i);
            Map<String, AttributeValue> original = new HashMap<>(local.dynamoDb().getItem(b -> b.tableName("replica").key(key)).item());
            Map<String, AttributeValue> restored = local.dynamoDb().getItem(b -> b.tableName("existing").key(key)).item();
            assertThat(restored).doesNotContainKey("_rv");
            original.remove("_rv");
            assertThat(restored).isEqualTo(original);
        }
    }

    @Test
    void anExistingTargetNeedsIntoExistingAndAMissingOneMustNotHaveIt() {
        TestTables.create(local.dynamoDb(), "taken", TableShape.HASH_AND_RANGE);
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, "taken").build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--target-table"))
                .hasMessageContaining("already exists").hasMessageContaining("--into-existing");
        assertThat(LocalAws.count(local.dynamoDb(), "taken")).isZero();

        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, "absent").intoExisting(true).build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--into-existing"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void whatCannotFitIsRefusedBeforeAnyWrite() {
        TestTables.create(local.dynamoDb(), "keyed-otherwise", TableShape.HASH_ONLY);
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, "keyed-otherwise").intoExisting(true).build()))
                .isInstanceOf(BackupUsageException.class).hasMessageContaining("is keyed on [pk] but the export's items are keyed on [pk, sk]");
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, "strip-key").stripAttribute("sk").build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--strip-attribute"));
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, exportId, "key-given")
                .partitionKey(KeyAttribute.parse("--partition-key", "pk:S")).build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--partition-key"));
        assertThatThrownBy(() -> restore.run(RestoreRequest.builder(BUCKET, "01700000000000-00000000", "nowhere").build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--export"))
                .hasMessageContaining("no export 01700000000000-00000000");
        assertThat(LocalAws.count(local.dynamoDb(), "keyed-otherwise")).isZero();
        for (String table : List.of("strip-key", "key-given", "nowhere")) {
            assertThat(local.dynamoDb().listTables().tableNames()).doesNotContain(table);
        }
    }
}
