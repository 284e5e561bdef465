package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ddbreplicator.backup.schedule.ScheduleConfig;
import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.lambda.InvalidConfigurationException;
import dev.ddbreplicator.lambda.LambdaConfig;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import dev.ddbreplicator.testkit.lambda.LambdaStreamPoller;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Bad input of every kind, to every entry point (the command, the KCL worker, the Lambda
 * replicator's and the scheduled backup's environment): each is refused with one clear line and a
 * defined exit status, and the stack (every table and item of both regions, every object of every
 * bucket) is exactly as it was before.
 */
class BadInputTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static Stack stack;
    private static TablePair pair;

    @TempDir
    Path dir;

    @BeforeAll
    static void stack() {
        stack = new Stack(AWS.source(), AWS.replica(), S3.server());
        pair = stack.pair("orders-eu", "orders", "orders-replica", TableShape.HASH_AND_RANGE);
        Workload.mixed(TableShape.HASH_AND_RANGE, 50, 1).run(stack.sourceClient(), "orders", 60, 2);
        stack.s3Client().createBucket(b -> b.bucket("backups"));
        // A replica keyed differently from the source, and sources streaming the wrong view or none.
        stack.replicaClient().createTable(b -> b.tableName("other-keys").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.N).build()));
        for (StreamViewType view : List.of(StreamViewType.KEYS_ONLY, StreamViewType.NEW_IMAGE, StreamViewType.OLD_IMAGE)) {
            stack.sourceClient().createTable(b -> b.tableName("streams-" + view).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(TableShape.HASH_AND_RANGE.keySchema()).attributeDefinitions(TableShape.HASH_AND_RANGE.attributeDefinitions())
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(view)));
        }
        TestTables.create(stack.sourceClient(), "no-stream", TableShape.HASH_AND_RANGE);
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    /** Runs something that must be refused and asserts the world did not change. */
    private static <T> T unchanged(String what, Supplier<T> refused) {
        World before = World.of(stack);
        T result = refused.get();
        assertThat(World.of(stack).changesSince(before)).as("changes made by %s", what).isEmpty();
        return result;
    }

    private static void refusedByTheCommand(String what, int exit, String message, String... args) {
        CommandRunner.Run run = unchanged(what, () -> stack.cli(args));
        Results.record("bad input: " + what, "ddb-replicator " + String.join(" ", args).replace(pair.id(), "ID"),
                "exit " + run.code() + ": " + run.err().strip(), 0);
        assertThat(run.code()).as(run.toString()).isEqualTo(exit);
        assertThat(run.err().strip().lines()).as("one line on stderr: %s", run.err()).hasSize(1);
        assertThat(run.err()).contains(message);
    }

    @Test
    void unknownPairIdsAreRefusedByEveryVerbWithExitTwo() {
        refusedByTheCommand("unknown pair id (verify)", 2, "no pair with id 'nope'", "verify", "--pair", "nope");
        refusedByTheCommand("unknown pair id (backfill)", 2, "no pair with id 'nope'", "backfill", "--pair", "nope");
        refusedByTheCommand("unknown pair id (status)", 2, "nope", "status", "--pair", "nope");
        refusedByTheCommand("unknown pair id (dlq list)", 2, "nope", "dlq", "list", "--pair", "nope", "--bucket", Stack.DLQ_BUCKET);
        refusedByTheCommand("unknown pair id (dlq replay)", 2, "nope", "dlq", "replay", "--pair", "nope", "--bucket", Stack.DLQ_BUCKET);
        refusedByTheCommand("unknown pair id (pairs remove)", 2, "nope", "pairs", "remove", "--id", "nope");
        refusedByTheCommand("unknown pair id (kcl run)", 2, "no pair 'nope'", "kcl", "run", "--pair", "nope",
                "--dead-letter-bucket", Stack.DLQ_BUCKET, "--health-port", "0");
    }

    @Test
    void aReplicaKeyedDifferentlyFromTheSourceIsRefused() {
        refusedByTheCommand("replica with another key schema (pairs add)", 2, "a replica needs the same key schema", "pairs", "add",
                "--source-table", "orders", "--source-region", Stack.SOURCE_REGION, "--replica-table", "other-keys",
                "--replica-region", Stack.REPLICA_REGION);
        // The worker with the pair given explicitly (no 'pairs add' ran): refused at start, before KCL creates anything.
        KclRun run = unchanged("replica with another key schema (KCL worker)", () -> kcl(explicitPair("orders", "other-keys")));
        Results.record("bad input: replica with another key schema (KCL worker, explicit pair)", "java -jar replicator-kcl.jar ...",
                "exit " + run.code() + ": " + run.err().strip(), 0);
        assertThat(run.code()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("key schema").contains("other-keys");
    }

    @Test
    void sourcesWithoutTheReplicationStreamAreRefused() {
        for (StreamViewType view : List.of(StreamViewType.KEYS_ONLY, StreamViewType.NEW_IMAGE, StreamViewType.OLD_IMAGE)) {
            refusedByTheCommand("source streams " + view + " (pairs add)", 2, "replication needs NEW_AND_OLD_IMAGES", "pairs", "add",
                    "--source-table", "streams-" + view, "--source-region", Stack.SOURCE_REGION, "--replica-table", "orders-replica",
                    "--replica-region", Stack.REPLICA_REGION);
            KclRun run = unchanged("source streams " + view + " (KCL worker)", () -> kcl(explicitPair("streams-" + view, "orders-replica")));
            Results.record("bad input: source streams " + view + " (KCL worker, explicit pair)", "java -jar replicator-kcl.jar ...",
                    "exit " + run.code() + ": " + run.err().strip(), 0);
            assertThat(run.code()).as(view + ": " + run).isEqualTo(1);
            assertThat(run.err()).contains(view.toString()).contains("NEW_AND_OLD_IMAGES");
        }
        refusedByTheCommand("source without a stream (pairs add)", 2, "has no stream", "pairs", "add", "--source-table", "no-stream",
                "--source-region", Stack.SOURCE_REGION, "--replica-table", "orders-replica", "--replica-region", Stack.REPLICA_REGION);
    }

    @Test
    void malformedWorkerConfigurationFilesAreRefusedWithExitTwo() throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        files.put("unknown key", "pair = orders-eu\nmax-recods = 10\n".getBytes(StandardCharsets.UTF_8));
        files.put("bad \\u escape", "pair = orders-eu\nregion = us-east-1\\u12\n".getBytes(StandardCharsets.UTF_8));
        files.put("not UTF-8", new byte[] {'p', 'a', 'i', 'r', '=', (byte) 0xC3, (byte) 0x28, '\n'});
        files.put("value out of range", "pair = orders-eu\nmax-records = 5000\n".getBytes(StandardCharsets.UTF_8));
        files.put("duration without unit", "pair = orders-eu\npoll-interval = 5\n".getBytes(StandardCharsets.UTF_8));
        files.put("not an endpoint", "pair = orders-eu\nendpoint = us-east-1\n".getBytes(StandardCharsets.UTF_8));
        files.put("config inside config", "config = other.properties\n".getBytes(StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        for (var file : files.entrySet()) {
            Path path = dir.resolve(file.getKey().replaceAll("[^a-z0-9]", "-") + ".properties");
            Files.write(path, file.getValue());
            KclRun run = unchanged("worker config: " + file.getKey(), () -> kcl(List.of("--config", path.toString(),
                    "--region", Stack.SOURCE_REGION, "--endpoint", Stack.SOURCE_REGION + "=" + AWS.source().endpoint(),
                    "--dead-letter-bucket", Stack.DLQ_BUCKET)));
            Results.record("bad input: KCL worker config file, " + file.getKey(), "--config FILE", "exit " + run.code() + ": "
                    + run.err().strip(), 0);
            if (run.code() != 2 || run.err().strip().lines().count() != 1 || run.err().split("see --help", -1).length != 2) {
                failures.add(file.getKey() + ": " + run);
            }
        }
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        KclRun missing = kcl(List.of("--config", dir.resolve("missing.properties").toString(), "--dead-letter-bucket", "b"));
        KclRun notAFile = kcl(List.of("--config", directory.toString(), "--dead-letter-bucket", "b"));
        assertThat(failures).isEmpty();
        assertThat(missing.code()).as(missing.toString()).isEqualTo(2);
        assertThat(notAFile.code()).as(notAFile.toString()).isEqualTo(2);
    }

    @Test
    void malformedLambdaEnvironmentsFailTheInitWithOneLineNamingTheVariable() {
        Map<String, String> good = Map.of(LambdaConfig.REGION, "us-east-1", LambdaConfig.DEAD_LETTER_BUCKET, "my-dlq");
        Map<String, Map<String, String>> bad = new java.util.LinkedHashMap<>();
        bad.put(LambdaConfig.DEAD_LETTER_BUCKET, without(good, LambdaConfig.DEAD_LETTER_BUCKET));
        bad.put(LambdaConfig.REGION, without(good, LambdaConfig.REGION));
        bad.put(LambdaConfig.DEAD_LETTER_BUCKET + " ", with(good, LambdaConfig.DEAD_LETTER_BUCKET, "My_Bucket"));
        bad.put(LambdaConfig.WRITER_CONCURRENCY, with(good, LambdaConfig.WRITER_CONCURRENCY, "lots"));
        bad.put(LambdaConfig.WRITER_CONCURRENCY + " ", with(good, LambdaConfig.WRITER_CONCURRENCY, "0"));
        bad.put(LambdaConfig.PAIR_CACHE_SECONDS, with(good, LambdaConfig.PAIR_CACHE_SECONDS, "-5"));
        bad.put(LambdaConfig.CONTROL_TABLE, with(good, LambdaConfig.CONTROL_TABLE, "x"));
        bad.put(LambdaConfig.CONTROL_TABLE_REGION, with(good, LambdaConfig.CONTROL_TABLE_REGION, "mars-north-1 "));
        bad.put(LambdaConfig.DEAD_LETTER_PREFIX, with(good, LambdaConfig.DEAD_LETTER_PREFIX, "/dlq"));
        bad.put(LambdaConfig.METRICS_NAMESPACE, with(good, LambdaConfig.METRICS_NAMESPACE, ":Replicator"));
        bad.put(LambdaConfig.TOMBSTONE_TABLE, with(good, LambdaConfig.TOMBSTONE_TABLE, "bad name!"));
        for (var entry : bad.entrySet()) {
            String variable = entry.getKey().strip();
            Throwable error = catchThrowable(() -> LambdaConfig.from(entry.getValue()::get));
            Results.record("bad input: Lambda environment, " + variable, entry.getValue().toString(),
                    "init fails: " + (error == null ? "NOT REFUSED" : error.getMessage()), 0);
            assertThat(error).as(variable).isInstanceOf(InvalidConfigurationException.class);
            assertThat(((InvalidConfigurationException) error).variable()).isEqualTo(variable);
            assertThat(error.getMessage()).as(variable).startsWith(variable).doesNotContain("\n");
        }
        Map<String, String> backup = Map.of(ScheduleConfig.REGION, "us-east-1", ScheduleConfig.BUCKET, "backups",
                ScheduleConfig.TABLES, "orders", ScheduleConfig.KEEP, "7", ScheduleConfig.OLDER_THAN, "30d");
        Throwable error = catchThrowable(() -> ScheduleConfig.fromEnv(backup));
        Results.record("bad input: scheduled backup environment, two retention rules", backup.toString(), "init fails: "
                + (error == null ? "NOT REFUSED" : error.getMessage()), 0);
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ScheduleConfig.KEEP);
    }

    @Test
    void aRestoreOntoAnExistingTableWithoutIntoExistingIsRefused() {
        CommandRunner.Run backup = stack.cli("backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "exists");
        assertThat(backup.code()).as(backup.toString()).isZero();
        String exportId = exportIdOf(backup.out());
        refusedByTheCommand("restore target exists without --into-existing", 2, "already exists", "restore", "--bucket", "backups",
                "--export", exportId, "--target-table", "orders");
    }

    @Test
    void aBackupWhoseManifestListsMissingFilesIsRefusedBeforeAnythingIsWritten() {
        CommandRunner.Run backup = stack.cli("backup", "run", "--table", "orders", "--bucket", "backups", "--prefix", "gone", "--segments", "2");
        assertThat(backup.code()).as(backup.toString()).isZero();
        String exportId = exportIdOf(backup.out());
        List<String> dataFiles = new ArrayList<>();
        stack.s3Client().listObjectsV2Paginator(b -> b.bucket("backups").prefix("gone/")).contents().stream()
                .filter(o -> o.key().endsWith(".json.gz")).forEach(o -> dataFiles.add(o.key()));
        assertThat(dataFiles).isNotEmpty();
        stack.s3Client().deleteObject(b -> b.bucket("backups").key(dataFiles.get(0)));
        refusedByTheCommand("backup whose manifest lists a missing data file", 1, "", "restore", "--bucket", "backups", "--export",
                exportId, "--target-table", "orders-from-gone");
        assertThat(stack.cli("restore", "--bucket", "backups", "--export", exportId, "--target-table", "orders-from-gone").err())
                .contains(dataFiles.get(0).substring(dataFiles.get(0).lastIndexOf('/') + 1));
    }

    @Test
    void aLambdaPairWhoseReplicaIsKeyedDifferentlyWritesNothingThereAndLosesNothing() throws Exception {
        // Registered behind the command's back ('pairs add' refuses it): every change is poison for that
        // replica, so each goes whole to the dead-letter bucket and the replica is left as it was.
        TablePair wrong = TablePair.of("wrong-keys", "orders", Stack.SOURCE_REGION, "other-keys", Stack.REPLICA_REGION, Instant.now());
        stack.registry().remove(pair.id());
        stack.registry().add(wrong);
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller("orders").batchSize(25).build()) {
            poller.drain(Duration.ofMinutes(1));
            List<ChangeEvent> stream = KclWorkerFaults.streamEvents(stack, "orders");
            List<DeadLetter> letters = new S3DeadLetterStore(stack.s3Client(), Stack.DLQ_BUCKET, "", new Retrier(RetryPolicy.CONTROL))
                    .list(wrong.id());
            // A change superseded in its batch is not written (compaction); the key's last change is, and
            // that is what a replay needs: the newest letter of each key must be its last change.
            Map<ItemKey, String> lastChange = new HashMap<>();
            stream.forEach(e -> lastChange.put(e.keys(), e.sequenceNumber()));
            Map<ItemKey, String> newestLetter = new HashMap<>();
            letters.forEach(l -> newestLetter.merge(l.event().keys(), l.event().sequenceNumber(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
            long lost = lastChange.entrySet().stream().filter(e -> !e.getValue().equals(newestLetter.get(e.getKey()))).count();
            long replicaItems = stack.replicaClient().scan(b -> b.tableName("other-keys")).count();
            Results.record("bad input: a registered pair whose replica has another key schema (Lambda replicator)", stream.size()
                            + " changes of " + lastChange.size() + " keys",
                    letters.size() + " dead letters, the newest of each key its last change; " + replicaItems + " replica items written", lost);
            assertThat(lost).as("keys whose last change is not in the dead-letter bucket").isZero();
            assertThat(replicaItems).isZero();
        } finally {
            stack.registry().remove(wrong.id());
            stack.registry().add(pair);
        }
    }

    @Test
    void aLambdaOnAKeysOnlyStreamWritesNoPutAndDeadLettersEachOne() throws Exception {
        // The event source mapping can be pointed at any stream; a KEYS_ONLY one carries no item to write.
        TablePair keysOnly = TablePair.of("keys-only", "streams-KEYS_ONLY", Stack.SOURCE_REGION, "orders-replica", Stack.REPLICA_REGION,
                Instant.now());
        stack.registry().add(keysOnly);
        try (LambdaReplicator lambda = new LambdaReplicator(stack);
             LambdaStreamPoller poller = lambda.poller(keysOnly.sourceTable()).batchSize(25).build()) {
            Workload.mixed(TableShape.HASH_AND_RANGE, 20, 7).run(stack.sourceClient(), keysOnly.sourceTable(), 40, 1);
            World before = World.of(stack);
            poller.drain(Duration.ofMinutes(1));
            List<String> changes = World.of(stack).changesSince(before);
            List<DeadLetter> letters = new S3DeadLetterStore(stack.s3Client(), Stack.DLQ_BUCKET, "", new Retrier(RetryPolicy.CONTROL))
                    .list(keysOnly.id());
            Results.record("bad input: a Lambda replicator fed a KEYS_ONLY stream", "40 changes",
                    letters.size() + " puts dead-lettered (" + (letters.isEmpty() ? "" : letters.get(0).reason()) + "); changed: " + changes,
                    0);
            assertThat(letters).isNotEmpty().allSatisfy(l -> assertThat(l.reason()).contains("without a new image"));
            assertThat(changes).as("what the replicator changed").allMatch(c -> c.startsWith("s3://" + Stack.DLQ_BUCKET)
                    || c.contains("ddb-replicator-tombstones") || c.contains("ddb-replicator-pairs"));
        } finally {
            stack.registry().remove(keysOnly.id());
        }
    }

    private static String exportIdOf(String out) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("--export (\\S+)").matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return matcher.group(1);
    }

    private static List<String> explicitPair(String sourceTable, String replicaTable) {
        return List.of("--pair", "explicit", "--source-table", sourceTable, "--source-region", Stack.SOURCE_REGION,
                "--replica-table", replicaTable, "--replica-region", Stack.REPLICA_REGION, "--region", Stack.SOURCE_REGION,
                "--endpoint", Stack.SOURCE_REGION + "=" + AWS.source().endpoint(),
                "--endpoint", Stack.REPLICA_REGION + "=" + AWS.replica().endpoint(),
                "--s3-endpoint", S3.server().endpoint().toString(), "--dead-letter-bucket", Stack.DLQ_BUCKET, "--health-port", "0");
    }

    /** What the worker's main answered. */
    record KclRun(int code, String out, String err) {
    }

    /** The worker's main in this process; a worker that starts instead of refusing fails the test after a minute. */
    private static KclRun kcl(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> dev.ddbreplicator.kcl.Main.run(args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), "replicator-kcl"));
        try {
            return new KclRun(code.get(1, TimeUnit.MINUTES), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("the worker did not refuse " + args + " (it may be running): " + e, e);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> map = new HashMap<>(base);
        map.put(key, value);
        return map;
    }

    private static Map<String, String> without(Map<String, String> base, String key) {
        Map<String, String> map = new HashMap<>(base);
        map.remove(key);
        return map;
    }
}
