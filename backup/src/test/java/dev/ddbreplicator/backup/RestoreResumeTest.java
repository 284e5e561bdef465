package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: a restore killed half-way and started again ends equal to the source, with no item written twice. */
class RestoreResumeTest {

    private static final int ITEMS = 3000;
    private static final List<String> KEYS = List.of("pk", "sk");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;
    private static BackupResult backup;

    @BeforeAll
    static void exportATable() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket("resume");
        TestTables.create(local.dynamoDb(), "source", TableShape.HASH_AND_RANGE);
        LocalAws.load(local.dynamoDb(), "source", ITEMS, i -> TestItems.item(i, 3), 4);
        backup = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("source", "resume").segments(8).build());
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void aRestoreKilledHalfWayResumesWithoutWritingAnyItemTwice() {
        WriteCounter counter = new WriteCounter(KEYS);
        CrashAfter crash = new CrashAfter("BatchWriteItem", 50);
        RestoreRequest request = RestoreRequest.builder("resume", backup.exportId(), "copy")
                .parallelism(3)
                .checkpointEveryItems(100)
                .build();

        try (LocalAws dying = new LocalAws(AWS.source(), S3.server(), counter, crash)) {
            assertThatThrownBy(() -> new RestoreJob(dying.clients, LocalAws.REGION, Clock.systemUTC()).run(request))
                    .isInstanceOf(BackupFailedException.class)
                    .hasMessageContaining("run it again to resume");
        }
        assertThat(crash.crashed()).isTrue();
        long firstRun = counter.total();
        assertThat(firstRun).as("the first run wrote part of the table").isBetween(1L, ITEMS - 1L);
        assertThat(local.s3().listObjectsV2(b -> b.bucket("resume").prefix(backup.directory() + "restore-checkpoints/")).keyCount())
                .as("the checkpoint is kept").isEqualTo(1);

        RestoreResult result;
        try (LocalAws again = new LocalAws(AWS.source(), S3.server(), counter)) {
            result = new RestoreJob(again.clients, LocalAws.REGION, Clock.systemUTC()).run(request);
        }

        assertThat(result.resumed()).isTrue();
        assertThat(result.tableCreated()).isTrue();
        assertThat(result.itemsAlreadyPresent()).as("writes that landed unrecorded were found, not repeated").isPositive();
        assertThat(result.itemsWritten() + result.itemsAlreadyPresent() + result.itemsFromEarlierRuns()).isEqualTo(ITEMS);
        System.out.printf("resume: first run wrote %d items; second run wrote %d, found %d already written, skipped %d in finished files%n",
                firstRun, result.itemsWritten(), result.itemsAlreadyPresent(), result.itemsFromEarlierRuns());
        assertThat(LocalAws.differences(local.dynamoDb(), "source", "copy", KEYS, ITEMS, TestItems::key, 4)).isEmpty();
        assertThat(counter.writtenTwice()).as("items written twice").isEmpty();
        assertThat(counter.counts().size()).as("items written").isEqualTo(ITEMS);
        assertThat(counter.total()).isEqualTo(ITEMS);
        assertThat(LocalAws.differences(local.dynamoDb(), "source", "copy", KEYS, ITEMS, TestItems::key, 4)).isEmpty();
        assertThat(LocalAws.count(local.dynamoDb(), "copy")).isEqualTo(ITEMS);
        assertThat(local.s3().listObjectsV2(b -> b.bucket("resume").prefix(backup.directory() + "restore-checkpoints/")).keyCount())
                .as("the checkpoint is gone once the restore is done").isZero();
        System.out.printf("resume: first run wrote %d items; second run wrote %d, found %d already written, skipped %d in finished files%n",
                firstRun, result.itemsWritten(), result.itemsAlreadyPresent(), result.itemsFromEarlierRuns());
    }
}
