package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.backup.BackupCatalog;
import dev.ddbreplicator.backup.BackupEntry;
import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.ListRequest;
import dev.ddbreplicator.backup.Rate;
import dev.ddbreplicator.backup.RestoreJob;
import dev.ddbreplicator.backup.RestoreRequest;
import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.write.ItemSize;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 server stops while a backup runs and while a poison event is being dead-lettered. A backup
 * either completes after retries (and restores to an equal table) or fails cleanly, leaving no
 * manifest behind; a poison event is never dropped: its batch waits until the letter is stored.
 */
class S3OutageTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    private static LocalS3 s3;
    private static Stack stack;

    @BeforeAll
    static void stack() throws Exception {
        // Objects on disk survive the server's stop; the transient store would survive too, but
        // a real outage keeps what was written, so keep it the same way. No SSE headers here:
        // the directory store refuses them, so backups use the bucket's default encryption.
        s3 = LocalS3.start(0, Optional.of(Files.createTempDirectory("s3-outage-")));
        stack = new Stack(AWS.source(), AWS.replica(), s3);
        stack.s3Client().createBucket(b -> b.bucket("backups"));
    }

    @AfterAll
    static void close() {
        stack.close();
        s3.close();
    }

    @Test
    void aBackupDuringABriefS3OutageCompletesAfterRetriesAndRestoresEqual() throws Exception {
        String table = "brief";
        load(table, 4000);
        BackupJob job = new BackupJob(stack.clients, Stack.SOURCE_REGION, Clock.systemUTC());
        BackupRequest request = BackupRequest.builder(table, "backups").segments(4).parallelism(4).maxFileBytes(1 << 20)
                .rate(Rate.parse("1500")).encryption(dev.ddbreplicator.backup.Encryption.bucketDefault()).build();
        CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(() -> job.run(request));
        Thread.sleep(1200);
        s3.stop();
        Thread.sleep(2500);
        s3.start();
        BackupResult result = backup.get(3, TimeUnit.MINUTES);

        RestoreJob restore = new RestoreJob(stack.clients, Stack.SOURCE_REGION, Clock.systemUTC());
        restore.run(RestoreRequest.builder("backups", result.exportId(), table + "-restored").build());
        TableDiff diff = new TableComparer(Set.of()).compare(stack.sourceClient(), table, stack.sourceClient(), table + "-restored");
        Results.record("S3 server stopped 2.5 s during a backup (4,000 items, 1,500 items/s)", "backup run",
                "completed after " + result.retries() + " retries; restored table " + (diff.isEqual() ? "equal" : "DIFFERS " + diff),
                diff.missing() + diff.different() + diff.extra());

        assertThat(result.retries()).as("S3 calls retried during the outage").isPositive();
        assertThat(result.itemCount()).isEqualTo(4000);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }

    @Test
    void aBackupWhoseS3OutageOutlastsTheRetriesFailsCleanlyWithoutAManifest() throws Exception {
        String table = "long-outage";
        load(table, 2000);
        CompletableFuture<CommandRunner.Run> backup = CompletableFuture.supplyAsync(() -> stack.cli("backup", "run", "--table", table,
                "--bucket", "backups", "--prefix", "cut", "--rate", "500", "--bucket-encryption", "--segments", "2"));
        Thread.sleep(1500);
        s3.stop();
        CommandRunner.Run run;
        try {
            run = backup.get(3, TimeUnit.MINUTES);
        } finally {
            s3.start();
        }
        List<String> keys = new ArrayList<>();
        stack.s3Client().listObjectsV2Paginator(b -> b.bucket("backups").prefix("cut/")).contents().stream().map(S3Object::key).forEach(keys::add);
        List<BackupEntry> listed = new BackupCatalog(stack.clients, Stack.SOURCE_REGION, Clock.systemUTC())
                .list(new ListRequest("backups", "cut", Optional.empty()));
        Results.record("S3 server stopped for good during a backup (2,000 items, 500 items/s)", "backup run",
                "exit " + run.code() + ": " + run.err().strip() + "; no manifest-summary.json; backup list shows it "
                        + listed.stream().map(e -> e.status().toString()).toList(), 0);

        assertThat(run.code()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().strip().lines()).as("one line on stderr").hasSize(1);
        assertThat(run.err()).contains("wrote no manifest");
        assertThat(keys).as("objects of the cut backup").isNotEmpty().noneMatch(k -> k.endsWith("manifest-summary.json"));
        assertThat(listed).extracting(BackupEntry::status).containsOnly(BackupEntry.Status.INCOMPLETE);
    }

    @Test
    void aPoisonEventWhoseDeadLetterCannotBeWrittenWaitsForS3AndIsNeverDropped() throws Exception {
        TablePair pair = stack.pair("poison", "poison", "poison-replica", TableShape.HASH_ONLY);
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller(pair.sourceTable()).batchSize(50).build()) {
            DynamoDbClient source = stack.sourceClient();
            Workload.mixed(TableShape.HASH_ONLY, 100, 3).run(source, pair.sourceTable(), 150, 2);
            s3.stop();
            poller.start();
            Map<String, AttributeValue> poison = underTheLimit("poison-item");
            source.putItem(b -> b.tableName(pair.sourceTable()).item(poison));
            Workload.mixed(TableShape.HASH_ONLY, 100, 4).run(source, pair.sourceTable(), 150, 2);
            // Long enough for several failed attempts at the letter, each retried by the core and then by Lambda.
            Thread.sleep(5000);
            List<Map<String, AttributeValue>> replicaDuring = scan(stack.replicaClient(), pair.replicaTable());
            s3.start();
            poller.awaitCaughtUp(Duration.ofMinutes(2));

            List<DeadLetter> letters = new S3DeadLetterStore(stack.s3Client(), Stack.DLQ_BUCKET, "", new Retrier(RetryPolicy.CONTROL))
                    .list(pair.id());
            VerifyReport report = stack.awaitEqual(pair, Duration.ofSeconds(5));
            ItemKey poisonKey = new ItemKey(Map.of("pk", poison.get("pk")));
            long lost = report.missingKeys().stream().filter(k -> !k.equals(poisonKey)).count() + report.different() + report.extra()
                    + (letters.stream().anyMatch(l -> l.event().keys().equals(poisonKey)) ? 0 : 1);
            Results.record("S3 server stopped while a poison event (over 400 KB with _rv) was dead-lettered, 5 s",
                    "300 changes, Lambda replicator", "batch held at the poison event while S3 was down (replica had "
                            + replicaDuring.size() + " items); letter written after; everything else replicated", lost);

            assertThat(letters).as("the poison event's letter").anySatisfy(l -> assertThat(l.event().keys()).isEqualTo(poisonKey));
            assertThat(report.missingKeys()).as("only the poison item is absent from the replica").containsExactly(poisonKey);
            assertThat(report.different()).isZero();
            assertThat(report.extra()).isZero();
            assertThat(lambda.batchLines).as("batches failed while the letter could not be written")
                    .anySatisfy(line -> assertThat(line).contains("dead-letter store failed"));
        }
    }

    /** An item DynamoDB takes, which the replication version pushes over 400 KB: poison for any replica. */
    static Map<String, AttributeValue> underTheLimit(String key) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS(key)));
        long room = ItemSize.MAX_ITEM_BYTES - ItemSize.of(item) - "blob".length() - 5;
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[(int) room])));
        return item;
    }

    /** The same for a table keyed on {@code pk} and {@code sk}. */
    static Map<String, AttributeValue> underTheLimitWithRange(String key) {
        Map<String, AttributeValue> item = underTheLimit(key);
        item.put("sk", AttributeValue.fromN("1"));
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[item.get("blob").b().asByteArrayUnsafe().length - 5])));
        return item;
    }

    private static void load(String table, int items) {
        DynamoDbClient client = stack.sourceClient();
        TestTables.create(client, table, TableShape.HASH_AND_RANGE);
        Random random = new Random(items);
        Workload keys = Workload.mixed(TableShape.HASH_AND_RANGE, items, 1);
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            Map<String, AttributeValue> item = new HashMap<>(keys.key(i));
            item.putAll(Workload.randomAttributes(random));
            item.put("padding", AttributeValue.fromS("x".repeat(600)));
            batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            if (batch.size() == 25 || i == items - 1) {
                List<WriteRequest> send = List.copyOf(batch);
                batch.clear();
                Map<String, List<WriteRequest>> pending = Map.of(table, send);
                while (!pending.isEmpty()) {
                    Map<String, List<WriteRequest>> request = pending;
                    pending = client.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
            }
        }
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient client, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table)).items().forEach(items::add);
        return items;
    }
}
