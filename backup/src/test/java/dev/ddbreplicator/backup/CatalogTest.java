package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: backup list and prune (keep the newest N, or those younger than D days), with the clock injected. */
class CatalogTest {

    private static final String BUCKET = "catalog";
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;

    @BeforeAll
    static void wire() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket(BUCKET);
        for (String table : List.of("alpha", "beta")) {
            TestTables.create(local.dynamoDb(), table, TableShape.HASH_AND_RANGE);
            LocalAws.load(local.dynamoDb(), table, 10, i -> TestItems.item(i, 2), 2);
        }
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void listShowsEveryExportAndPruneKeepsWhatTheRetentionSays() throws Exception {
        String alpha40 = backup("alpha", days(40));
        String alpha20 = backup("alpha", days(20));
        String alpha1 = backup("alpha", days(1));
        String beta35 = backup("beta", days(35));
        String beta2 = backup("beta", days(2));
        String deadOld = dyingBackup("alpha", days(10));
        String deadRecent = dyingBackup("alpha", Duration.ofHours(1));
        try (var fixtures = S3.server().client()) {
            NativeExportFixture.write(fixtures, BUCKET, ".md5", false);
        }
        BackupCatalog catalog = new BackupCatalog(local.s3(), Clock.fixed(NOW, ZoneOffset.UTC));

        List<BackupEntry> all = catalog.list(ListRequest.of(BUCKET));
        assertThat(all).extracting(BackupEntry::exportId)
                .containsExactly(NativeExportFixture.EXPORT_ID, deadRecent, alpha1, deadOld, alpha20, alpha40, beta2, beta35);
        assertThat(all.get(0).tableName()).contains("ProductCatalog");
        assertThat(all.get(2).itemCount()).hasValue(10);
        assertThat(all.get(2).status()).isEqualTo(BackupEntry.Status.COMPLETE);
        assertThat(all.get(3).status()).isEqualTo(BackupEntry.Status.INCOMPLETE);
        assertThat(catalog.list(new ListRequest(BUCKET, "", Optional.of("beta")))).extracting(BackupEntry::exportId).containsExactly(beta2, beta35);

        PruneResult dryRun = catalog.prune(new PruneRequest(BUCKET, "", Optional.empty(), Retention.keep(1), true,
                PruneRequest.DEFAULT_INCOMPLETE_AFTER));
        assertThat(dryRun.deleted()).extracting(BackupEntry::exportId).containsExactlyInAnyOrder(alpha20, alpha40, beta35, deadOld);
        assertThat(dryRun.objectsDeleted()).isZero();
        assertThat(catalog.list(ListRequest.of(BUCKET))).hasSize(8);

        PruneResult aged = catalog.prune(PruneRequest.of(BUCKET, Retention.olderThan("30d")));
        // The 2020 native export is far older than 30 days but is its table's newest: it stays.
        assertThat(aged.deleted()).extracting(BackupEntry::exportId).containsExactlyInAnyOrder(alpha40, beta35, deadOld);
        assertThat(aged.objectsDeleted()).isPositive();

        PruneResult kept = catalog.prune(PruneRequest.of(BUCKET, Retention.keep(1)));
        assertThat(kept.deleted()).extracting(BackupEntry::exportId).containsExactly(alpha20);

        assertThat(catalog.list(ListRequest.of(BUCKET))).extracting(BackupEntry::exportId)
                .containsExactly(NativeExportFixture.EXPORT_ID, deadRecent, alpha1, beta2);
        for (String gone : List.of(alpha40, alpha20, beta35, deadOld)) {
            assertThat(local.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("backups/AWSDynamoDB/" + gone)).keyCount())
                    .as("objects of " + gone).isZero();
        }
    }

    @Test
    void aMissingBucketIsAUsageError() {
        BackupCatalog catalog = new BackupCatalog(local.s3(), Clock.systemUTC());
        assertThatThrownBy(() -> catalog.list(ListRequest.of("no-such-bucket")))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--bucket"));
    }

    private static Duration days(int n) {
        return Duration.ofDays(n);
    }

    private static String backup(String table, Duration ago) {
        return new BackupJob(local.clients, LocalAws.REGION, Clock.fixed(NOW.minus(ago), ZoneOffset.UTC))
                .run(BackupRequest.builder(table, BUCKET).segments(1).build()).exportId();
    }

    private static String dyingBackup(String table, Duration ago) {
        try (LocalAws failing = new LocalAws(AWS.source(), S3.server(), new FailAfter("Scan", 0))) {
            BackupJob job = new BackupJob(failing.clients, LocalAws.REGION, Clock.fixed(NOW.minus(ago), ZoneOffset.UTC));
            assertThatThrownBy(() -> job.run(BackupRequest.builder(table, BUCKET).segments(1).build())).isInstanceOf(BackupFailedException.class);
        }
        return new BackupCatalog(local.s3(), Clock.systemUTC()).list(ListRequest.of(BUCKET)).stream()
                .filter(e -> e.status() == BackupEntry.Status.INCOMPLETE && e.startTime().equals(NOW.minus(ago)))
                .findFirst().orElseThrow().exportId();
    }
}
