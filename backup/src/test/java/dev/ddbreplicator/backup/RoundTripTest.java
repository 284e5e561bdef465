package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Issue 5: a 100,000-item table with every attribute type goes to S3 in the native layout and comes back item for item. */
class RoundTripTest {

    private static final int ITEMS = 100_000;

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;

    @BeforeAll
    static void wire() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket("round-trip");
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void aLargeTableWithEveryAttributeTypeRestoresItemForItem() throws Exception {
        TestTables.create(local.dynamoDb(), "orders", TableShape.HASH_AND_RANGE);
        long t0 = System.nanoTime();
        LocalAws.load(local.dynamoDb(), "orders", ITEMS, i -> TestItems.item(i, 5), 8);
        long t1 = System.nanoTime();
        System.out.printf("loaded in %.1fs%n", (t1 - t0) / 1e9);

        BackupResult backup = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("orders", "round-trip").prefix("nightly").segments(64).parallelism(2).build());
        long t2 = System.nanoTime();
        System.out.printf("backed up in %.1fs%n", (t2 - t1) / 1e9);
        assertThat(backup.itemCount()).isEqualTo(ITEMS);

        NativeLayoutChecker.Report layout = NativeLayoutChecker.check(local.s3(), "round-trip", "nightly", backup.exportId(), false);
        assertThat(layout.itemCount()).isEqualTo(ITEMS);
        assertThat(layout.dataFiles()).isEqualTo(backup.dataFiles()).isGreaterThanOrEqualTo(64);
        long t3 = System.nanoTime();

        RestoreResult restore = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(RestoreRequest.builder("round-trip", backup.exportId(), "orders-restored").build());
        long t4 = System.nanoTime();
        System.out.printf("restored in %.1fs%n", (t4 - t3) / 1e9);
        assertThat(restore.itemsWritten()).isEqualTo(ITEMS);
        assertThat(restore.tableCreated()).isTrue();

        // The restored table holds exactly the source table's items, value for value, and nothing else.
        assertThat(LocalAws.differences(local.dynamoDb(), "orders", "orders-restored", List.of("pk", "sk"), ITEMS, TestItems::key, 4))
                .as("items missing or different").isEmpty();
        assertThat(LocalAws.count(local.dynamoDb(), "orders")).isEqualTo(ITEMS);
        assertThat(LocalAws.count(local.dynamoDb(), "orders-restored")).isEqualTo(ITEMS);
        long t5 = System.nanoTime();
        TableDescription restored = local.dynamoDb().describeTable(b -> b.tableName("orders-restored")).table();
        assertThat(restored.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType()).containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
        System.out.printf("round trip of %d items: load %.1fs, backup %.1fs (%d files, %.1f MB), layout check %.1fs, restore %.1fs, compare %.1fs%n",
                ITEMS, (t1 - t0) / 1e9, (t2 - t1) / 1e9, backup.dataFiles(), backup.compressedBytes() / 1e6, (t3 - t2) / 1e9,
                (t4 - t3) / 1e9, (t5 - t4) / 1e9);
    }
}
