package dev.ddbreplicator.core.write;

import static dev.ddbreplicator.core.write.Events.key;
import static dev.ddbreplicator.core.write.Events.put;
import static dev.ddbreplicator.core.write.Events.remove;
import static dev.ddbreplicator.core.write.Events.ttlRemove;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.model.ChangeKind;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class ReplicaWriterTest {

    private final InMemoryReplicaStore store = new InMemoryReplicaStore();
    private final AtomicInteger retries = new AtomicInteger();
    private final List<ReplicaWriter> writers = new ArrayList<>();

    @AfterEach
    void closeWriters() {
        writers.forEach(ReplicaWriter::close);
    }

    private ReplicaWriter writer(WriterSettings settings) {
        Retrier noWait = new Retrier(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(80)), d -> { }, bound -> bound);
        ReplicaWriter writer = new ReplicaWriter(store, settings, noWait, (attempt, error) -> retries.incrementAndGet());
        writers.add(writer);
        return writer;
    }

    private ReplicaWriter writer() {
        return writer(WriterSettings.defaults());
    }

    @Test
    void compactionWritesOnlyTheLastEventPerKey() {
        BatchResult result = writer().write(List.of(put("a", 1, "a1"), put("b", 2, "b1"), put("a", 3, "a2"), remove("b", 4), put("a", 5, "a3")));

        assertThat(store.writes()).extracting(w -> w.key().toString() + "@" + Long.parseLong(w.version().value()))
                .containsExactlyInAnyOrder("{pk=a}@5", "{pk=b}@4");
        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(
                WriteOutcome.STALE, WriteOutcome.STALE, WriteOutcome.STALE, WriteOutcome.APPLIED, WriteOutcome.APPLIED);
        assertThat(store.item(key("a"))).containsEntry("value", AttributeValue.fromS("a3"));
        assertThat(store.item(key("b"))).isNull();
    }

    @Test
    void compactionKeepsTheNewestEventEvenWhenABatchArrivesOutOfOrder() {
        writer().write(List.of(put("a", 9, "newest"), put("a", 3, "older")));

        assertThat(store.item(key("a"))).containsEntry("value", AttributeValue.fromS("newest"));
        assertThat(store.writes()).hasSize(1);
    }

    @Test
    void versionIsTheSequenceNumberPaddedTo40DigitsInTheConfiguredAttribute() {
        writer(new WriterSettings("_ver", TtlDeletePolicy.REPLICATE, 4)).write(List.of(put("a", 42, "x")));

        assertThat(store.item(key("a"))).containsEntry("_ver", AttributeValue.fromS("0".repeat(38) + "42"));
    }

    @Test
    void aStaleEventIsCountedAsStaleNotAsAnError() {
        ReplicaWriter writer = writer();
        writer.write(List.of(put("a", 10, "new")));

        BatchResult replay = writer.write(List.of(put("a", 7, "old"), remove("a", 8)));

        assertThat(replay.outcomes()).extracting(EventOutcome::outcome).containsOnly(WriteOutcome.STALE);
        assertThat(store.item(key("a"))).containsEntry("value", AttributeValue.fromS("new"));
    }

    @Test
    void distinctKeysAreWrittenInParallelButNeverMoreThanTheLimit() {
        store.writeTakes(20);
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(put("k" + i, i + 1, "v"));
        }

        writer(WriterSettings.defaults().withConcurrency(4)).write(batch);

        assertThat(store.maxInFlight()).isEqualTo(4);
    }

    @Test
    void eventsForOneKeyStayInOrderAcrossBatches() {
        ReplicaWriter writer = writer(WriterSettings.defaults().withConcurrency(8));
        for (int i = 1; i <= 20; i++) {
            writer.write(List.of(put("a", i, "v" + i), put("other" + i, 100 + i, "x")));
        }

        assertThat(store.writes().stream().filter(w -> w.key().equals(key("a"))).map(w -> Long.parseLong(w.version().value())))
                .isSorted().hasSize(20);
        assertThat(store.item(key("a"))).containsEntry("value", AttributeValue.fromS("v20"));
    }

    @Test
    void throttlingIsRetriedWithBackoffUntilTheWriteLands() {
        store.failNext(key("a"), throttled(), throttled());

        BatchResult result = writer().write(List.of(put("a", 1, "x")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.APPLIED);
        assertThat(retries).hasValue(2);
    }

    @Test
    void throttlingThatOutlastsTheRetriesIsARetryableFailureAndTheRestOfTheBatchLands() {
        store.failNext(key("a"), throttled(), throttled(), throttled(), throttled(), throttled());

        BatchResult result = writer().write(List.of(put("a", 1, "x"), put("b", 2, "y")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(WriteOutcome.RETRYABLE_FAILURE, WriteOutcome.APPLIED);
        assertThat(result.firstRetryableFailure()).get().extracting(o -> o.event().sequenceNumber()).isEqualTo("1");
        assertThat(result.isComplete()).isFalse();
    }

    @Test
    void anEarlierEventForAKeyWhoseLastEventFailedIsAlsoAFailure() {
        store.failNext(key("a"), throttled(), throttled(), throttled(), throttled());

        BatchResult result = writer().write(List.of(put("a", 1, "x"), put("b", 2, "y"), put("a", 3, "z")));

        assertThat(result.firstRetryableFailure()).get().extracting(o -> o.event().sequenceNumber()).isEqualTo("1");
    }

    @Test
    void serverErrorsAreRetried() {
        store.failNext(key("a"), DynamoDbException.builder().statusCode(500).message("internal").build());

        assertThat(writer().write(List.of(put("a", 1, "x"))).outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(WriteOutcome.APPLIED);
        assertThat(retries).hasValue(1);
    }

    @Test
    void aValidationErrorIsPoisonAtOnce() {
        store.failNext(key("a"), DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage("Type mismatch for key").build())
                .message("Type mismatch for key").build());

        BatchResult result = writer().write(List.of(put("a", 1, "x"), put("b", 2, "y")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.POISON, WriteOutcome.APPLIED);
        assertThat(result.outcomes().get(0).reason()).contains("Type mismatch");
        assertThat(retries).hasValue(0);
    }

    @Test
    void anItemOverTheSizeLimitOnceTheVersionIsAddedIsPoisonWithoutAWrite() {
        Map<String, AttributeValue> image = new HashMap<>(key("big").attributes());
        // 409,600 bytes is the limit: this image fits, with the 43 bytes of _rv it does not.
        image.put("blob", AttributeValue.fromS("x".repeat(ItemSize.MAX_ITEM_BYTES - 4 - 5 - 20)));
        assertThat(ItemSize.of(image)).isLessThanOrEqualTo(ItemSize.MAX_ITEM_BYTES);
        ChangeEvent big = new ChangeEvent("source", key("big"), Optional.empty(), Optional.of(image), ChangeKind.INSERT, "5", Events.CREATED, false);

        BatchResult result = writer().write(List.of(big));

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(WriteOutcome.POISON);
            assertThat(o.reason()).contains("_rv").contains("409600");
        });
        assertThat(store.writes()).isEmpty();
    }

    @Test
    void aSourceItemWithAnAttributeNamedLikeTheVersionIsPoisonNotSilentlyOverwritten() {
        Map<String, AttributeValue> image = new HashMap<>(key("a").attributes());
        image.put("_rv", AttributeValue.fromS("the source's own value"));
        ChangeEvent clash = new ChangeEvent("source", key("a"), Optional.empty(), Optional.of(image), ChangeKind.INSERT, "5", Events.CREATED, false);

        assertThat(writer().write(List.of(clash)).outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(WriteOutcome.POISON);
            assertThat(o.reason()).contains("'_rv'").contains("--version-attribute");
        });
        assertThat(store.writes()).isEmpty();

        // A pair with another version attribute carries the source's _rv unchanged.
        assertThat(writer(new WriterSettings("_ver", TtlDeletePolicy.REPLICATE, 4)).write(List.of(clash)).outcomes())
                .extracting(EventOutcome::outcome).containsExactly(WriteOutcome.APPLIED);
        assertThat(store.item(key("a"))).containsEntry("_rv", AttributeValue.fromS("the source's own value")).containsKey("_ver");
    }

    @Test
    void anInsertWithoutANewImageIsPoison() {
        ChangeEvent keysOnly = new ChangeEvent("source", key("a"), Optional.empty(), Optional.empty(), ChangeKind.INSERT, "5", Events.CREATED, false);

        assertThat(writer().write(List.of(keysOnly)).outcomes()).singleElement()
                .satisfies(o -> assertThat(o.outcome()).isEqualTo(WriteOutcome.POISON))
                .satisfies(o -> assertThat(o.reason()).contains("NEW_AND_OLD_IMAGES"));
    }

    @Test
    void ttlDeletesAreReplicatedByDefault() {
        ReplicaWriter writer = writer();
        writer.write(List.of(put("a", 1, "x")));

        assertThat(writer.write(List.of(ttlRemove("a", 2))).outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.APPLIED);
        assertThat(store.item(key("a"))).isNull();
    }

    @Test
    void ttlDeletesAreSkippedWhenThePairKeepsExpiredItems() {
        ReplicaWriter writer = writer(new WriterSettings("_rv", TtlDeletePolicy.SKIP, 4));
        writer.write(List.of(put("a", 1, "x")));

        BatchResult result = writer.write(List.of(ttlRemove("a", 2), remove("b", 3)));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.SKIPPED, WriteOutcome.APPLIED);
        assertThat(store.item(key("a"))).containsEntry("value", AttributeValue.fromS("x"));
    }

    @Test
    void insertsBeyondTheWriterThreadsGoToTheStoreSeveralToACall() {
        store.groupsUpTo(25);
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(Events.insert("k" + i, i + 1, "v" + i));
        }

        BatchResult result = writer(new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 4)).write(batch);

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsOnly(WriteOutcome.APPLIED);
        // 40 inserts on 4 threads: 4 calls of 10, each key written once.
        assertThat(store.groups()).containsExactly(10, 10, 10, 10);
        assertThat(store.writes()).hasSize(40);
        assertThat(store.item(key("k39"))).containsEntry("value", AttributeValue.fromS("v39"));
    }

    @Test
    void aGroupedCallNeverHoldsMoreThanTheStoreTakes() {
        store.groupsUpTo(25);
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            batch.add(Events.insert("k" + i, i + 1, "v"));
        }

        writer(new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 2)).write(batch);

        assertThat(store.groups()).containsExactlyInAnyOrder(25, 25, 25, 25, 20);
    }

    @Test
    void fewInsertsAndEveryOtherChangeAreWrittenOneByOne() {
        store.groupsUpTo(25);
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            batch.add(Events.insert("n" + i, i + 1, "v"));
        }
        batch.add(put("m", 100, "modified"));
        batch.add(remove("d", 101));

        BatchResult result = writer().write(batch);

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsOnly(WriteOutcome.APPLIED);
        assertThat(store.groups()).as("32 inserts fit the default 32 threads one each").isEmpty();
    }

    @Test
    void keysAGroupedCallLeavesUnsettledAreWrittenOneByOne() {
        store.groupsUpTo(25);
        store.settleNoGroup();
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(Events.insert("k" + i, i + 1, "v" + i));
        }

        BatchResult result = writer(new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 2)).write(batch);

        assertThat(store.groups()).containsExactly(10, 10);
        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsOnly(WriteOutcome.APPLIED);
        assertThat(store.writes()).hasSize(20);
        assertThat(retries).as("each failed grouped call counts as a retry").hasValue(2);
        assertThat(store.item(key("k7"))).containsEntry("value", AttributeValue.fromS("v7"));
    }

    @Test
    void aGroupedInsertOverANewerItemIsStale() {
        store.groupsUpTo(25);
        ReplicaWriter writer = writer(new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 1));
        writer.write(List.of(put("k1", 50, "newer")));

        BatchResult result = writer.write(List.of(Events.insert("k0", 10, "a"), Events.insert("k1", 11, "older"),
                Events.insert("k2", 12, "c")));

        assertThat(store.groups()).containsExactly(3);
        assertThat(result.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(WriteOutcome.APPLIED, WriteOutcome.STALE, WriteOutcome.APPLIED);
        assertThat(store.item(key("k1"))).containsEntry("value", AttributeValue.fromS("newer"));
    }

    @Test
    void aPoisonInsertStaysOutOfTheGroupAndIsPoison() {
        store.groupsUpTo(25);
        Map<String, AttributeValue> image = new HashMap<>(key("big").attributes());
        image.put("blob", AttributeValue.fromS("x".repeat(ItemSize.MAX_ITEM_BYTES)));
        ChangeEvent big = new ChangeEvent("source", key("big"), Optional.empty(), Optional.of(image), ChangeKind.INSERT, "9", Events.CREATED, false);
        List<ChangeEvent> batch = new ArrayList<>(List.of(big));
        for (int i = 0; i < 4; i++) {
            batch.add(Events.insert("k" + i, i + 1, "v"));
        }

        BatchResult result = writer(new WriterSettings("_rv", TtlDeletePolicy.REPLICATE, 2)).write(batch);

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(WriteOutcome.POISON, WriteOutcome.APPLIED,
                WriteOutcome.APPLIED, WriteOutcome.APPLIED, WriteOutcome.APPLIED);
        assertThat(store.groups()).containsExactly(2, 2);
    }

    private static ProvisionedThroughputExceededException throttled() {
        return ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .message("slow down").build();
    }
}
