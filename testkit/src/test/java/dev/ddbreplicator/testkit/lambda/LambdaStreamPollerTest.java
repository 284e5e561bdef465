package dev.ddbreplicator.testkit.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class LambdaStreamPollerTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1");

    private static DynamoDbClient client;
    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void clients() {
        client = AWS.source().client();
        streams = AWS.source().streamsClient();
    }

    @AfterAll
    static void close() {
        client.close();
        streams.close();
    }

    @Test
    void deliversEveryRecordOnceInStreamOrderAsLambdaEventsOfAtMostTheBatchSize() {
        String arn = tableWithChanges("all", 400);
        List<Record> expected = new StreamReader(streams).readAll(arn);
        Recorder recorder = new Recorder(batch -> null);

        PollerStats stats = LambdaStreamPoller.builder(streams, arn, recorder).region("eu-central-1").batchSize(37).build().drain(TIMEOUT);

        assertThat(recorder.sequenceNumbers()).containsExactlyElementsOf(expected.stream().map(r -> r.dynamodb().sequenceNumber()).toList());
        assertThat(recorder.batches).allSatisfy(b -> assertThat(b.getRecords()).hasSizeBetween(1, 37));
        assertThat(stats.recordsCheckpointed()).isEqualTo(expected.size());
        assertThat(stats.failedInvocations()).isZero();

        DynamodbEvent.DynamodbStreamRecord first = recorder.batches.get(0).getRecords().get(0);
        assertThat(first.getEventSourceARN()).startsWith("arn:aws:dynamodb:eu-central-1:").contains(":table/all/stream/");
        assertThat(first.getAwsRegion()).isEqualTo("eu-central-1");
        assertThat(first.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(first.getDynamodb().getApproximateCreationDateTime()).isNotNull();
        assertThat(first.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        List<DynamodbEvent.DynamodbStreamRecord> delivered = recorder.batches.stream().flatMap(b -> b.getRecords().stream()).toList();
        for (int i = 0; i < expected.size(); i++) {
            Record original = expected.get(i);
            DynamodbEvent.DynamodbStreamRecord record = delivered.get(i);
            assertThat(record.getEventName()).isEqualTo(original.eventNameAsString());
            assertThat(record.getEventID()).isEqualTo(original.eventID());
            assertThat(record.getDynamodb().getKeys()).containsOnlyKeys(original.dynamodb().keys().keySet());
            assertThat(record.getDynamodb().getNewImage() == null).isEqualTo(!original.dynamodb().hasNewImage());
            assertThat(record.getDynamodb().getOldImage() == null).isEqualTo(!original.dynamodb().hasOldImage());
            if (original.dynamodb().hasNewImage()) {
                assertThat(record.getDynamodb().getNewImage()).containsOnlyKeys(original.dynamodb().newImage().keySet());
            }
        }
    }

    @Test
    void aReportedBatchItemFailureIsRetriedFromThatRecordAndNothingBeforeItComesAgain() {
        String arn = tableWithPuts("partial", 120);
        List<String> all = new StreamReader(streams).readAll(arn).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        String failing = all.get(45);
        AtomicInteger failuresLeft = new AtomicInteger(3);
        Recorder recorder = new Recorder(batch -> {
            List<String> sequences = sequences(batch);
            return sequences.contains(failing) && failuresLeft.getAndDecrement() > 0 ? failing : null;
        });

        PollerStats stats = LambdaStreamPoller.builder(streams, arn, recorder).batchSize(50).build().drain(TIMEOUT);

        assertThat(stats.partialFailures()).isEqualTo(3);
        // Batch 1 is records 0-49 and fails at 45; the three retries start at 45.
        assertThat(recorder.batches).hasSizeGreaterThanOrEqualTo(5);
        for (int retry = 1; retry <= 3; retry++) {
            assertThat(sequences(recorder.batches.get(retry)).get(0)).isEqualTo(failing);
        }
        List<String> delivered = recorder.sequenceNumbers();
        assertThat(delivered.stream().filter(all.subList(0, 45)::contains).toList()).as("records before the failure, once each")
                .containsExactlyElementsOf(all.subList(0, 45));
        assertThat(new java.util.LinkedHashSet<>(delivered)).containsExactlyElementsOf(all);
        assertThat(stats.recordsCheckpointed()).isEqualTo(all.size());
    }

    @Test
    void theLowestOfSeveralReportedFailuresWinsAndAnUnusableIdentifierFailsTheWholeBatch() {
        String arn = tableWithPuts("several", 30);
        List<String> all = new StreamReader(streams).readAll(arn).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        AtomicInteger calls = new AtomicInteger();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        RequestHandler<DynamodbEvent, StreamsEventResponse> handler = (event, context) -> {
            batches.add(sequences(event));
            return switch (calls.incrementAndGet()) {
                case 1 -> answer(all.get(20), all.get(7), all.get(12));
                case 2 -> answer("no-such-record");
                default -> StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
            };
        };

        LambdaStreamPoller.builder(streams, arn, handler).batchSize(100).build().drain(TIMEOUT);

        assertThat(batches).hasSize(3);
        assertThat(batches.get(1)).containsExactlyElementsOf(all.subList(7, all.size()));
        assertThat(batches.get(2)).as("the unusable answer checkpointed nothing").isEqualTo(batches.get(1));
    }

    @Test
    void functionErrorsAreBisectedUntilOnlyTheBadRecordIsDiscarded() {
        String arn = tableWithPuts("bisect", 64);
        List<String> all = new StreamReader(streams).readAll(arn).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        String bad = all.get(21);
        List<DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder(batch -> {
            if (sequences(batch).contains(bad)) {
                throw new IllegalStateException("cannot handle " + bad);
            }
            return null;
        });

        PollerStats stats = LambdaStreamPoller.builder(streams, arn, recorder).batchSize(64).bisectBatchOnFunctionError(true)
                .maximumRetryAttempts(2).onFailure(discarded::add).build().drain(TIMEOUT);

        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.startSequenceNumber()).isEqualTo(bad);
            assertThat(d.endSequenceNumber()).isEqualTo(bad);
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.records()).hasSize(1);
        });
        assertThat(stats.bisections()).isGreaterThanOrEqualTo(6);
        assertThat(stats.recordsCheckpointed()).isEqualTo(all.size() - 1);
        assertThat(stats.recordsDiscarded()).isEqualTo(1);
        List<String> succeeded = recorder.succeededSequenceNumbers();
        assertThat(succeeded).doesNotContain(bad).containsAll(all.stream().filter(s -> !s.equals(bad)).toList());
    }

    @Test
    void withoutBisectionARecordThatKeepsFailingTakesTheRestOfItsBatchToTheOnFailureDestination() {
        String arn = tableWithPuts("limit", 40);
        List<String> all = new StreamReader(streams).readAll(arn).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        String bad = all.get(10);
        List<DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
        AtomicInteger seenBad = new AtomicInteger();
        Recorder recorder = new Recorder(batch -> {
            if (sequences(batch).contains(bad)) {
                seenBad.incrementAndGet();
                return bad;
            }
            return null;
        });

        PollerStats stats = LambdaStreamPoller.builder(streams, arn, recorder).batchSize(20).maximumRetryAttempts(3)
                .onFailure(discarded::add).build().drain(TIMEOUT);

        assertThat(seenBad).hasValue(4);
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.startSequenceNumber()).isEqualTo(bad);
            assertThat(d.batchSize()).isEqualTo(20);
        });
        assertThat(stats.recordsCheckpointed() + stats.recordsDiscarded()).isEqualTo(all.size());
        assertThatThrownBy(() -> LambdaStreamPoller.builder(streams, arn, recorder).maximumRetryAttempts(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 to 10000");
    }

    @Test
    void unlimitedRetriesOfAFailingHandlerNeverFinishADrain() {
        String arn = tableWithPuts("forever", 3);
        LambdaStreamPoller poller = LambdaStreamPoller.builder(streams, arn, (event, context) -> {
            throw new IllegalStateException("always");
        }).build();

        assertThatThrownBy(() -> poller.drain(Duration.ofMillis(500))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not drained");
    }

    @Test
    void followsTheStreamLiveAndResumesFromItsCheckpoints() {
        String arn = tableWithPuts("live", 0);
        Recorder recorder = new Recorder(batch -> null);
        try (LambdaStreamPoller poller = LambdaStreamPoller.builder(streams, arn, recorder).idleWait(Duration.ofMillis(20)).build()) {
            poller.start();
            put("live", 0, 50);
            poller.awaitCaughtUp(TIMEOUT);
            assertThat(recorder.sequenceNumbers()).hasSize(50);

            put("live", 50, 80);
            PollerStats stats = poller.awaitCaughtUp(TIMEOUT);
            assertThat(stats.recordsCheckpointed()).isEqualTo(80);
            poller.stop();

            put("live", 80, 90);
            assertThat(poller.drain(TIMEOUT).recordsCheckpointed()).isEqualTo(90);
        }
        assertThat(recorder.sequenceNumbers()).doesNotHaveDuplicates().hasSize(90);
    }

    @Test
    void followingANewTableWhileAWorkloadWritesDeliversEveryRecordInOrder() throws Exception {
        String arn = tableWithPuts("busy", 0);
        Recorder recorder = new Recorder(batch -> null);
        try (LambdaStreamPoller poller = LambdaStreamPoller.builder(streams, arn, recorder).batchSize(200).idleWait(Duration.ofMillis(20))
                .build()) {
            poller.start();
            Thread.sleep(200);
            Workload.mixed(TableShape.HASH_AND_RANGE, 300, 9).run(client, "busy", 1500, 4);
            poller.awaitCaughtUp(TIMEOUT);
        }
        List<String> expected = new StreamReader(streams).readAll(arn).stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        assertThat(expected).hasSizeGreaterThan(1000);
        assertThat(recorder.sequenceNumbers()).containsExactlyElementsOf(expected);
    }

    /** A table whose stream holds a mixed workload: inserts, modifies and removes over every attribute type. */
    private static String tableWithChanges(String table, int operations) {
        TestTables.createWithStream(client, table, TableShape.HASH_AND_RANGE);
        Workload.mixed(TableShape.HASH_AND_RANGE, 60, 5).run(client, table, operations, 1);
        return StreamReader.streamArn(client, table);
    }

    /** A table whose stream holds exactly {@code count} inserts. */
    private static String tableWithPuts(String table, int count) {
        TestTables.createWithStream(client, table, TableShape.HASH_AND_RANGE);
        put(table, 0, count);
        return StreamReader.streamArn(client, table);
    }

    private static void put(String table, int from, int to) {
        Workload keys = Workload.mixed(TableShape.HASH_AND_RANGE, 1000, 1);
        for (int i = from; i < to; i++) {
            Map<String, AttributeValue> item = new java.util.HashMap<>(keys.key(i));
            item.put("n", AttributeValue.fromN(Integer.toString(i)));
            client.putItem(b -> b.tableName(table).item(item));
        }
    }

    private static List<String> sequences(DynamodbEvent event) {
        return event.getRecords().stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
    }

    private static StreamsEventResponse answer(String... failed) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : failed) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** A handler that records every batch and fails where {@code failAt} says (a sequence number, or null). */
    private static final class Recorder implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        final List<DynamodbEvent> batches = Collections.synchronizedList(new ArrayList<>());
        final Map<DynamodbEvent, String> failures = new ConcurrentHashMap<>();
        final Function<DynamodbEvent, String> failAt;

        Recorder(Function<DynamodbEvent, String> failAt) {
            this.failAt = failAt;
        }

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            assertThat(context.getAwsRequestId()).isNotBlank();
            batches.add(event);
            String failed;
            try {
                failed = failAt.apply(event);
            } catch (RuntimeException functionError) {
                failures.put(event, event.getRecords().get(0).getDynamodb().getSequenceNumber());
                throw functionError;
            }
            if (failed == null) {
                return null;
            }
            failures.put(event, failed);
            return answer(failed);
        }

        List<String> sequenceNumbers() {
            synchronized (batches) {
                return batches.stream().flatMap(b -> sequences(b).stream()).toList();
            }
        }

        /** Sequence numbers of records in batches that ended well, up to a batch's reported failure. */
        List<String> succeededSequenceNumbers() {
            List<String> succeeded = new ArrayList<>();
            synchronized (batches) {
                for (DynamodbEvent batch : batches) {
                    String failed = failures.get(batch);
                    for (String sequence : sequences(batch)) {
                        if (sequence.equals(failed)) {
                            break;
                        }
                        succeeded.add(sequence);
                    }
                }
            }
            return succeeded;
        }
    }
}
