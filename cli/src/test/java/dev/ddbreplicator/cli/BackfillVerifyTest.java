package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.backfill.PageHook;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 8: backfill and verify through the command, with a replicator following the real stream. */
class BackfillVerifyTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Cli CLI = new Cli(AWS, S3);
    private static final Clock CLOCK = Clock.systemUTC();
    private static AwsClients clients;

    @BeforeAll
    static void wire() {
        clients = CLI.clients();
        clients.s3("us-east-1").createBucket(b -> b.bucket("dlq"));
    }

    @AfterAll
    static void unwire() {
        clients.close();
    }

    @Test
    void aBackfillUnderConcurrentPutsUpdatesAndDeletesEndsEqualAndThePairBecomesActive() throws Exception {
        String table = "busy";
        loadBeforeStream(table, 600);
        register(table);
        assertThat(CLI.run("--json", "status", "--pair", table).json().get("data").get("state").asText()).isEqualTo("BACKFILLING");

        try (StreamFollower follower = follow(table)) {
            // Deletes and updates hit the very items the backfill copies.
            CompletableFuture<Long> writes = CompletableFuture.supplyAsync(() ->
                    new Workload(TableShape.HASH_ONLY, 600, 5, 0.3, 0.3).run(source(), table, 1200, 3));
            Cli.Run backfill = CLI.run("--json", "backfill", "--pair", table, "--segments", "3");
            writes.get(5, TimeUnit.MINUTES);
            assertThat(backfill.code()).as(backfill.toString()).isZero();
            JsonNode data = backfill.json().get("data");
            assertThat(data.get("written").asLong()).isPositive();
            assertThat(data.get("state").asText()).isEqualTo("ACTIVE");
            awaitCaughtUp(table, follower);
        }

        Cli.Run verify = CLI.run("verify", "--pair", table);
        assertThat(verify.code()).as(verify.toString()).isZero();
        Cli.Run status = CLI.run("--json", "status", "--pair", table);
        assertThat(status.json().get("data").get("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.json().get("data").get("applied").asLong()).isPositive();
        assertThat(status.json().get("data").get("lastSequenceNumber").asText()).isNotEmpty();
    }

    @Test
    void anItemDeletedWhileTheBackfillHoldsItsPageIsNotBroughtBack() {
        String table = "held";
        loadBeforeStream(table, 50);
        TablePair pair = register(table);
        Map<String, AttributeValue> doomed = new Workload(TableShape.HASH_ONLY, 50, 1, 1, 0).key(17);
        AtomicBoolean interleaved = new AtomicBoolean();
        PageHook deleteAndReplicate = (segment, items) -> {
            if (items.stream().anyMatch(i -> i.get("pk").equals(doomed.get("pk"))) && interleaved.compareAndSet(false, true)) {
                source().deleteItem(b -> b.tableName(table).key(doomed));
                applyWholeStream(pair);
            }
        };
        Cli.Run backfill = CLI.runWith(command -> ((BackfillCommand) command.getSubcommands().get("backfill").getCommand()).hook = deleteAndReplicate,
                "backfill", "--pair", table, "--segments", "1");

        assertThat(backfill.code()).as(backfill.toString()).isZero();
        assertThat(interleaved).isTrue();
        assertThat(replica().getItem(b -> b.tableName(table).key(doomed).consistentRead(true)).item()).isEmpty();
        assertThat(CLI.run("verify", "--pair", table).code()).isZero();
    }

    @Test
    void verifyFindsAnItemChangedBehindTheReplicatorsBackAndRepairFixesIt() {
        String table = "tampered";
        loadBeforeStream(table, 200);
        register(table);
        assertThat(CLI.run("backfill", "--pair", table).code()).isZero();
        Map<String, AttributeValue> key = new Workload(TableShape.HASH_ONLY, 200, 1, 1, 0).key(42);
        Map<String, AttributeValue> changed = new HashMap<>(replica().getItem(b -> b.tableName(table).key(key)).item());
        changed.put("status", AttributeValue.fromS("edited in the replica by hand"));
        replica().putItem(b -> b.tableName(table).item(changed));

        Cli.Run found = CLI.run("--json", "verify", "--pair", table);
        assertThat(found.code()).isEqualTo(1);
        assertThat(found.err().lines()).hasSize(1);
        assertThat(found.err()).contains("0 missing, 0 extra, 1 different").contains("verify --repair");
        JsonNode data = found.json().get("data");
        assertThat(data.get("different").asLong()).isEqualTo(1);
        assertThat(data.get("differentExamples").get(0).asText()).contains(key.get("pk").s());
        Cli.Run text = CLI.run("verify", "--pair", table);
        assertThat(text.out()).contains("different: 1").contains(key.get("pk").s());

        Cli.Run repair = CLI.run("verify", "--pair", table, "--repair");
        assertThat(repair.code()).as(repair.toString()).isZero();
        assertThat(repair.out()).contains("repaired 1 of 1");
        assertThat(CLI.run("verify", "--pair", table).code()).isZero();
    }

    @Test
    void backfillRefusesAnUnknownPairASourceWithoutStreamAndBadSettingsWithoutWritingAnything() {
        Cli.Run unknown = CLI.run("--json", "backfill", "--pair", "nobody");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.json().get("status").asText()).isEqualTo("notFound");
        assertThat(unknown.err()).contains("pairs list");

        String table = "streamless";
        loadBeforeStream(table, 20);
        register(table);
        source().updateTable(b -> b.tableName(table).streamSpecification(s -> s.streamEnabled(false)));
        Cli.Run noStream = CLI.run("backfill", "--pair", table);
        assertThat(noStream.code()).isEqualTo(2);
        assertThat(noStream.err()).contains("has no stream").contains("streams enable");
        assertThat(replica().scan(b -> b.tableName(table)).count()).isZero();

        assertThat(CLI.run("backfill", "--pair", table, "--segments", "0").code()).isEqualTo(2);
        assertThat(CLI.run("backfill", "--pair", table, "--rate", "-5").code()).isEqualTo(2);
        assertThat(CLI.run("verify", "--pair", "nobody").code()).isEqualTo(2);
    }

    @Test
    void theRateLimitSpreadsTheCopyOverTime() {
        String table = "paced";
        loadBeforeStream(table, 300);
        register(table);
        long started = System.nanoTime();
        Cli.Run run = CLI.run("backfill", "--pair", table, "--rate", "100");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(run.code()).as(run.toString()).isZero();
        // 300 items at 100 a second, with at most one second banked: two seconds at the very least.
        assertThat(seconds).isGreaterThan(1.9);
    }

    private static void loadBeforeStream(String table, int items) {
        TestTables.create(source(), table, TableShape.HASH_ONLY);
        Workload keys = new Workload(TableShape.HASH_ONLY, items, 1, 1, 0);
        Random random = new Random(7);
        for (int i = 0; i < items; i++) {
            Map<String, AttributeValue> item = new HashMap<>(keys.key(i));
            item.putAll(Workload.randomAttributes(random));
            source().putItem(b -> b.tableName(table).item(item));
        }
        assertThat(CLI.run("streams", "enable", "--table", table).code()).isZero();
    }

    private static TablePair register(String table) {
        Cli.Run add = CLI.run("pairs", "add", "--source-table", table, "--source-region", "us-east-1", "--replica-table", table,
                "--replica-region", "eu-west-1", "--create-replica", "--id", table);
        assertThat(add.code()).as(add.toString()).isZero();
        return registry().get(table).orElseThrow();
    }

    private static StreamFollower follow(String table) {
        TablePair pair = registry().get(table).orElseThrow();
        return new StreamFollower(clients.streams("us-east-1"), StreamReader.streamArn(source(), table), table,
                replicators().create(pair), CLOCK).start();
    }

    private static void applyWholeStream(TablePair pair) {
        StreamRecordMapper mapper = new StreamRecordMapper(CLOCK);
        List<ChangeEvent> events = new StreamReader(clients.streams("us-east-1")).readAll(StreamReader.streamArn(source(), pair.sourceTable()))
                .stream().map(r -> mapper.map(r, pair.sourceTable())).toList();
        try (PairReplicator replicator = replicators().create(pair)) {
            BatchResult result = replicator.apply(events);
            assertThat(result.isComplete()).isTrue();
        }
    }

    /** Writes a marker at the source and waits until the follower has brought it over. */
    private static void awaitCaughtUp(String table, StreamFollower follower) throws InterruptedException {
        Map<String, AttributeValue> marker = Map.of("pk", AttributeValue.fromS("~marker"));
        source().putItem(b -> b.tableName(table).item(marker));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (replica().getItem(b -> b.tableName(table).key(marker).consistentRead(true)).item().isEmpty()) {
            assertThat(follower.failure()).as("the follower's failure").isNull();
            assertThat(System.nanoTime()).as("replica caught up within 5 minutes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Replicators replicators() {
        return new Replicators(clients, ReplicatorSettings.defaults().withStatusInterval(Duration.ZERO),
                new S3DeadLetterStore(clients.s3("us-east-1"), "dlq", "", new Retrier(RetryPolicy.CONTROL)), new SimpleMeterRegistry(), CLOCK,
                Optional.of(new StatusStore(source(), PairRegistry.DEFAULT_TABLE)));
    }

    private static PairRegistry registry() {
        return new PairRegistry(source(), PairRegistry.DEFAULT_TABLE, CLOCK, Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
    }

    private static DynamoDbClient source() {
        return clients.dynamoDb("us-east-1");
    }

    private static DynamoDbClient replica() {
        return clients.dynamoDb("eu-west-1");
    }
}
