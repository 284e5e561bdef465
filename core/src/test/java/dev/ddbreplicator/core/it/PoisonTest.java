package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Events that can never be written go whole to the dead-letter bucket; the rest of the batch lands. */
class PoisonTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LocalReplication local;
    private static S3DeadLetterStore deadLetters;

    @BeforeAll
    static void wire() {
        local = new LocalReplication(AWS.source(), AWS.replica(), Optional.of(S3.server().endpoint()));
        local.clients.s3("us-east-1").createBucket(b -> b.bucket("dlq"));
        deadLetters = new S3DeadLetterStore(local.clients.s3("us-east-1"), "dlq", "", new Retrier(RetryPolicy.CONTROL));
    }

    @AfterAll
    static void unwire() {
        local.close();
    }

    @Test
    void anItemThatOutgrowsTheLimitWithItsVersionIsDeadLetteredAndTheRestIsApplied() {
        TestTables.createWithStream(local.sourceClient(), "big", TableShape.HASH_ONLY);
        TestTables.create(local.replicaClient(), "big", TableShape.HASH_ONLY);
        put("big", "small-1", "x");
        // 409,600 bytes is DynamoDB's limit: the source takes this item, the replica cannot once _rv is added.
        put("big", "huge", "y".repeat(409_600 - "pk".length() - "huge".length() - "value".length() - 20));
        put("big", "small-2", "z");
        List<ChangeEvent> events = local.streamEvents("big");
        assertThat(events).hasSize(3);

        BatchResult result;
        TablePair pair = local.pair("big-eu", "big", "big");
        try (PairReplicator replicator = local.replicator(pair, deadLetters)) {
            result = replicator.apply(events);
        }

        assertThat(result.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(WriteOutcome.APPLIED, WriteOutcome.POISON, WriteOutcome.APPLIED);
        assertThat(replicaKeys("big")).containsExactlyInAnyOrder("small-1", "small-2");
        List<DeadLetter> letters = deadLetters.list("big-eu");
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.event()).isEqualTo(events.get(1));
            assertThat(letter.reason()).contains("409600");
        });
        assertThat(local.clients.s3("us-east-1").headObject(b -> b.bucket("dlq")
                .key("dlq/big-eu/" + events.get(1).sequenceNumber() + ".json")).contentLength()).isGreaterThan(409_000);
    }

    @Test
    void aReplicaWithAnotherKeyTypeDeadLettersTheEventsWithDynamoDbsReason() {
        TestTables.createWithStream(local.sourceClient(), "typed", TableShape.HASH_ONLY);
        TestTables.create(local.replicaClient(), "typed", new TableShape("pk", ScalarAttributeType.N, Optional.empty(), null));
        put("typed", "not-a-number", "x");
        List<ChangeEvent> events = local.streamEvents("typed");

        BatchResult result;
        try (PairReplicator replicator = local.replicator(local.pair("typed-eu", "typed", "typed"), deadLetters)) {
            result = replicator.apply(events);
        }

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(WriteOutcome.POISON);
            assertThat(o.reason()).containsIgnoringCase("type");
        });
        assertThat(deadLetters.list("typed-eu")).hasSize(1);
    }

    @Test
    void aPoisonEventWhoseLetterCannotBeStoredIsRetriedNotDropped() {
        TestTables.createWithStream(local.sourceClient(), "nobucket", TableShape.HASH_ONLY);
        TestTables.create(local.replicaClient(), "nobucket", new TableShape("pk", ScalarAttributeType.N, Optional.empty(), null));
        put("nobucket", "k", "x");
        List<ChangeEvent> events = local.streamEvents("nobucket");
        S3DeadLetterStore missingBucket = new S3DeadLetterStore(local.clients.s3("us-east-1"), "no-such-bucket", "",
                new Retrier(new RetryPolicy(2, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1))));

        BatchResult result;
        try (PairReplicator replicator = local.replicator(local.pair("nobucket-eu", "nobucket", "nobucket"), missingBucket)) {
            result = replicator.apply(events);
        }

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(WriteOutcome.RETRYABLE_FAILURE);
            assertThat(o.reason()).contains("dead-letter store failed");
        });
    }

    private static void put(String table, String key, String value) {
        local.sourceClient().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key), "value", AttributeValue.fromS(value))));
    }

    private static List<String> replicaKeys(String table) {
        return local.replicaItems(table).stream().map(i -> i.get("pk").s()).toList();
    }
}
