package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.model.ItemKey;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 8: status shows what the replicators reported; dlq list and replay work on real dead letters in S3. */
class StatusDlqTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Cli CLI = new Cli(AWS, S3);
    private static final Clock CLOCK = Clock.systemUTC();
    private static AwsClients clients;
    private static S3DeadLetterStore letters;

    @BeforeAll
    static void wire() {
        clients = CLI.clients();
        clients.s3("us-east-1").createBucket(b -> b.bucket("dlq"));
        letters = new S3DeadLetterStore(clients.s3("us-east-1"), "dlq", "", new Retrier(RetryPolicy.CONTROL));
        TestTables.createWithStream(clients.dynamoDb("us-east-1"), "orders", TableShape.HASH_ONLY);
        assertThat(CLI.run("pairs", "add", "--source-table", "orders", "--source-region", "us-east-1", "--replica-table", "orders",
                "--replica-region", "eu-west-1", "--create-replica", "--id", "orders").code()).isZero();
    }

    @AfterAll
    static void unwire() {
        clients.close();
    }

    @Test
    void statusShowsTheStateCountsLastSequenceLagAndDeadLetters() {
        new Workload(TableShape.HASH_ONLY, 30, 2, 0.6, 0.2).run(clients.dynamoDb("us-east-1"), "orders", 100, 2);
        StreamRecordMapper mapper = new StreamRecordMapper(CLOCK);
        List<ChangeEvent> events = new StreamReader(clients.streams("us-east-1"))
                .readAll(StreamReader.streamArn(clients.dynamoDb("us-east-1"), "orders")).stream().map(r -> mapper.map(r, "orders")).toList();
        try (PairReplicator replicator = replicators().create(registry().get("orders").orElseThrow())) {
            assertThat(replicator.apply(events).isComplete()).isTrue();
        }

        Cli.Run status = CLI.run("--json", "status", "--pair", "orders", "--bucket", "dlq");
        assertThat(status.code()).as(status.toString()).isZero();
        JsonNode data = status.json().get("data");
        assertThat(data.get("state").asText()).isEqualTo("BACKFILLING");
        assertThat(data.get("applied").asLong() + data.get("stale").asLong()).isEqualTo(events.size());
        assertThat(data.get("lastSequenceNumber").asText()).isEqualTo(events.get(events.size() - 1).sequenceNumber());
        assertThat(data.get("lagMillis").isNumber()).isTrue();
        assertThat(data.get("deadLetters").isNumber()).isTrue();

        Cli.Run text = CLI.run("status", "--pair", "orders");
        assertThat(text.out()).contains("BACKFILLING").contains("last applied").contains("unknown (pass --bucket)");
        assertThat(CLI.run("status", "--pair", "nobody").code()).isEqualTo(2);
    }

    @Test
    void replayWritesTheLettersThatCanBeWrittenNowAndKeepsTheOthers() {
        ItemKey fixable = new ItemKey(Map.of("pk", AttributeValue.fromS("was-poison")));
        ItemKey stillPoison = new ItemKey(Map.of("pk", AttributeValue.fromS("too-big")));
        letters.put(letter(fixable, "90000000000000000001", Map.of("pk", AttributeValue.fromS("was-poison"), "v", AttributeValue.fromS("ok"))));
        letters.put(letter(stillPoison, "90000000000000000002", Map.of("pk", AttributeValue.fromS("too-big"),
                "blob", AttributeValue.fromS("x".repeat(410 * 1024)))));

        assertThat(CLI.run("dlq", "list", "--pair", "orders").code()).isEqualTo(2);
        Cli.Run list = CLI.run("--json", "dlq", "list", "--pair", "orders", "--bucket", "dlq");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.json().get("data").get("letters")).hasSize(2);

        Cli.Run replay = CLI.run("dlq", "replay", "--pair", "orders", "--bucket", "dlq");
        assertThat(replay.code()).isEqualTo(1);
        assertThat(replay.err()).contains("1 of 2 dead letters still cannot be written");
        assertThat(clients.dynamoDb("eu-west-1").getItem(b -> b.tableName("orders").key(fixable.attributes())).item().get("v").s()).isEqualTo("ok");
        assertThat(letters.list("orders")).extracting(l -> l.event().keys()).containsExactly(stillPoison);
        assertThat(CLI.run("--json", "status", "--pair", "orders", "--bucket", "dlq").json().get("data").get("deadLetters").asLong()).isEqualTo(1);
    }

    private static DeadLetter letter(ItemKey key, String sequence, Map<String, AttributeValue> image) {
        ChangeEvent event = new ChangeEvent("orders", key, Optional.empty(), Optional.of(image), ChangeKind.INSERT, sequence, Instant.now(), false);
        return new DeadLetter("orders", event, "replica region was refusing writes", Instant.now());
    }

    private static Replicators replicators() {
        return new Replicators(clients, ReplicatorSettings.defaults().withStatusInterval(Duration.ZERO), letters, new SimpleMeterRegistry(), CLOCK,
                Optional.of(new StatusStore(clients.dynamoDb("us-east-1"), PairRegistry.DEFAULT_TABLE)));
    }

    private static PairRegistry registry() {
        return new PairRegistry(clients.dynamoDb("us-east-1"), PairRegistry.DEFAULT_TABLE, CLOCK, Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
    }
}
