package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.FaultInjector;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** Issue 5: how a backup behaves beyond the happy path. */
class ExportTest {

    private static final String BUCKET = "exports";

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalAws local;

    @BeforeAll
    static void wire() {
        local = new LocalAws(AWS.source(), S3.server());
        local.createBucket(BUCKET);
        TestTables.create(local.dynamoDb(), "items", TableShape.HASH_AND_RANGE);
        LocalAws.load(local.dynamoDb(), "items", 2000, i -> TestItems.item(i, 11), 4);
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void throttledScanPagesAreRetriedAndNoneIsDropped() throws Exception {
        FaultInjector throttling = new FaultInjector(0.4, 7, "Scan");
        try (LocalAws throttled = new LocalAws(AWS.source(), S3.server(), throttling)) {
            BackupResult result = new BackupJob(throttled.clients, LocalAws.REGION, Clock.systemUTC())
                    .run(BackupRequest.builder("items", BUCKET).prefix("throttled").segments(8).build());

            assertThat(throttling.injected()).isPositive();
            assertThat(result.retries()).isGreaterThanOrEqualTo(throttling.injected());
            assertThat(result.itemCount()).isEqualTo(2000);
            assertThat(NativeLayoutChecker.check(local.s3(), BUCKET, "throttled", result.exportId(), false).itemCount()).isEqualTo(2000);
        }
    }

    @Test
    void aRunThatDiesLeavesNoManifestAndDoesNotCountAsABackup() {
        try (LocalAws failing = new LocalAws(AWS.source(), S3.server(), new FailAfter("Scan", 3))) {
            assertThatThrownBy(() -> new BackupJob(failing.clients, LocalAws.REGION, Clock.systemUTC())
                    .run(BackupRequest.builder("items", BUCKET).prefix("dies").segments(8).parallelism(2).build()))
                    .isInstanceOf(BackupFailedException.class)
                    .hasMessageContaining("ValidationException: injected failure")
                    .hasMessageContaining("wrote no manifest");
        }
        S3Client s3 = local.s3();
        List<String> keys = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("dies/")).contents().stream().map(o -> o.key()).toList();
        assertThat(keys).anyMatch(k -> k.endsWith("/_started")).anyMatch(k -> k.endsWith("/table-description.json"))
                .noneMatch(k -> k.endsWith("manifest-summary.json")).noneMatch(k -> k.endsWith("manifest-files.json"));
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("dies/")).uploads()).as("aborted uploads").isEmpty();

        List<BackupEntry> listed = new BackupCatalog(s3, Clock.systemUTC()).list(new ListRequest(BUCKET, "dies", java.util.Optional.empty()));
        assertThat(listed).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(BackupEntry.Status.INCOMPLETE);
            assertThat(e.tableName()).contains("items");
        });
        String id = listed.get(0).exportId();
        assertThatThrownBy(() -> new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(RestoreRequest.builder(BUCKET, id, "from-dead-run").build()))
                .isInstanceOf(CorruptExportException.class)
                .hasMessageContaining("the backup did not finish");
    }

    @Test
    void aDataFileLargerThanAPartIsUploadedInPartsAndMatchesItsChecksums() throws Exception {
        TestTables.create(local.dynamoDb(), "blobs", TableShape.HASH_ONLY);
        Random random = new Random(1);
        for (int i = 0; i < 36; i++) {
            byte[] noise = new byte[300_000];
            random.nextBytes(noise);
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS("blob-" + i));
            item.put("data", AttributeValue.fromB(SdkBytes.fromByteArray(noise)));
            local.dynamoDb().putItem(b -> b.tableName("blobs").item(item));
        }
        BackupResult result = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("blobs", BUCKET).prefix("parts").segments(1).partSizeBytes(BackupRequest.MIN_PART_SIZE).build());

        NativeLayoutChecker.Report report = NativeLayoutChecker.check(local.s3(), BUCKET, "parts", result.exportId(), false);
        assertThat(report.dataFiles()).isEqualTo(1);
        assertThat(result.compressedBytes()).isGreaterThan(2L * BackupRequest.MIN_PART_SIZE);
        String manifest = local.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(result.directory() + "manifest-files.json")).asUtf8String();
        assertThat(manifest).as("a multipart ETag of three parts").containsPattern("\"etag\":\"[0-9a-f]{32}-3\"");

        RestoreResult restored = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(RestoreRequest.builder(BUCKET, result.exportId(), "blobs-copy").build());
        assertThat(restored.itemsWritten()).isEqualTo(36);
        assertThat(LocalAws.differences(local.dynamoDb(), "blobs", "blobs-copy", List.of("pk"), 36,
                i -> Map.of("pk", AttributeValue.fromS("blob-" + i)), 2)).isEmpty();
    }

    @Test
    void aKmsKeyIsUsedForEveryObjectAndNamedInTheManifest() throws Exception {
        BackupResult result = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                .run(BackupRequest.builder("items", BUCKET).prefix("kms").segments(4).encryption(Encryption.kms("alias/backups")).build());

        NativeLayoutChecker.Report report = NativeLayoutChecker.check(local.s3(), BUCKET, "kms", result.exportId(), false);
        assertThat(report.summary().get("s3SseAlgorithm").asText()).isEqualTo("KMS");
        assertThat(report.summary().get("s3SseKmsKeyId").asText()).isEqualTo("alias/backups");
    }

    @Test
    void aMissingTableOrBucketIsAUsageErrorNamingTheOption() {
        BackupJob job = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC());
        assertThatThrownBy(() -> job.run(BackupRequest.builder("no-such-table", BUCKET).build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--table"))
                .hasMessage("table no-such-table does not exist in us-east-1");
        assertThatThrownBy(() -> job.run(BackupRequest.builder("items", "no-such-bucket").build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--bucket"))
                .hasMessage("bucket no-such-bucket does not exist");
    }

    @Test
    void aShareOfProvisionedCapacityIsChargedWithWhatEachPageConsumed() throws Exception {
        local.dynamoDb().createTable(b -> b.tableName("provisioned")
                .keySchema(k -> k.attributeName("pk").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH),
                        k -> k.attributeName("sk").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.N))
                .provisionedThroughput(p -> p.readCapacityUnits(2000L).writeCapacityUnits(2000L)));
        local.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("provisioned"));
        LocalAws.load(local.dynamoDb(), "provisioned", 1000, i -> TestItems.item(i, 12), 4);
        CapacityWatcher watcher = new CapacityWatcher();
        try (LocalAws watched = new LocalAws(AWS.source(), S3.server(), watcher)) {
            BackupResult result = new BackupJob(watched.clients, LocalAws.REGION, Clock.systemUTC())
                    .run(BackupRequest.builder("provisioned", BUCKET).prefix("capacity").segments(4).rate(Rate.parse("100%")).build());

            assertThat(result.itemCount()).isEqualTo(1000);
            assertThat(watcher.asked).as("every page asked for its consumed capacity").isPositive().isEqualTo(watcher.scans.get());
        }
    }

    /** Counts Scan requests, and those that ask DynamoDB to report the capacity they consume. */
    private static final class CapacityWatcher implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        final java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
        volatile int asked;

        @Override
        public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.ScanRequest scan) {
                scans.incrementAndGet();
                if (scan.returnConsumedCapacity() == software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity.TOTAL
                        && scan.limit() != null) {
                    synchronized (this) {
                        asked++;
                    }
                }
            }
        }
    }

    @Test
    void aShareOfCapacityIsRefusedForAnOnDemandTable() {
        BackupJob job = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC());
        assertThatThrownBy(() -> job.run(BackupRequest.builder("items", BUCKET).rate(Rate.parse("25%")).build()))
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo("--rate"))
                .hasMessageContaining("is on demand, give items per second instead");
    }
}
