package dev.ddbreplicator.kcl.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.kcl.health.WorkerHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/** The processor's contract with KCL, on the core's real writer and an in-memory replica. */
class ReplicatingProcessorTest {

    private final FakeReplica replica = new FakeReplica();
    private final PairReplicator replicator = replica.replicator();
    private final StopSignal stop = new StopSignal();
    private final WorkerHealth health = new WorkerHealth("p", "app", "w", Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> checkpoints = new ArrayList<>();
    private int throttleCheckpoints;
    private RuntimeException checkpointError;

    @AfterEach
    void close() {
        replicator.close();
    }

    private ReplicatingProcessor processor() {
        ReplicatingProcessor processor = (ReplicatingProcessor) new ReplicatingProcessorFactory("source", new StreamRecordMapper(Clock.systemUTC()),
                new BatchApplier(() -> replicator, 8, BatchApplier.BACKOFF, stop, ceiling -> 1, Clock.systemUTC()), health, stop, registry,
                "p").shardRecordProcessor();
        processor.initialize(InitializationInput.builder().shardId("shard-1").extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
        return processor;
    }

    @Test
    void aBatchIsCheckpointedOnceEveryEventIsWritten() {
        ReplicatingProcessor processor = processor();

        processor.processRecords(batch(record("a", 1), record("b", 2), record("a", 3)));

        assertThat(replica.versionOf("a")).isEqualTo(3);
        assertThat(replica.versionOf("b")).isEqualTo(2);
        assertThat(checkpoints).containsExactly("checkpoint");
    }

    @Test
    void anEmptyPollCountsAsProgressButNeedsNoCheckpoint() {
        ReplicatingProcessor processor = processor();

        processor.processRecords(batch());

        assertThat(checkpoints).isEmpty();
        assertThat(health.report().shards()).singleElement().satisfies(s -> assertThat(s.lastPollMillisAgo()).isNotNegative());
    }

    @Test
    void aBatchLeftUnfinishedByAStopIsNeverCheckpointedNorIsAnythingAfterIt() throws Exception {
        ReplicatingProcessor processor = processor();
        replica.down = true;
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> processor.processRecords(batch(record("a", 1))));
        Thread.sleep(300);
        assertThat(first).as("retrying while the replica is down").isNotDone();

        stop.stop();
        first.get(10, TimeUnit.SECONDS);
        replica.down = false;
        processor.processRecords(batch(record("b", 2)));
        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer()).build());
        processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());

        assertThat(checkpoints).as("a checkpoint past the unwritten batch would lose it").isEmpty();
        assertThat(replica.versionOf("b")).as("nothing after it is written either").isEqualTo(-1);
    }

    @Test
    void itNeverThrowsToKclAndStopsCheckpointingAfterSomethingUnexpected() {
        ReplicatingProcessor processor = processor();
        checkpointError = new IllegalStateException("broken checkpointer (test)");

        processor.processRecords(batch(record("a", 1)));
        checkpointError = null;
        processor.processRecords(batch(record("b", 2)));

        assertThat(checkpoints).isEmpty();
        assertThat(replica.versionOf("b")).isEqualTo(-1);
        assertThat(health.report().shards()).singleElement().satisfies(s -> assertThat(s.lastError()).hasValueSatisfying(
                e -> assertThat(e).contains("halted")));
    }

    @Test
    void checkpointsAtShardEndAndOnRequestedShutdownAndRetriesThrottledOnes() {
        ReplicatingProcessor processor = processor();
        processor.processRecords(batch(record("a", 1)));
        throttleCheckpoints = 2;

        processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());
        processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer()).build());

        assertThat(checkpoints).containsExactly("checkpoint", "throttled", "throttled", "checkpoint", "checkpoint");
        assertThat(health.report().shards()).as("an ended shard is no longer followed").isEmpty();
    }

    @Test
    void aRecordThatIsNoItemChangeIsSkippedAndCounted() {
        ReplicatingProcessor processor = processor();
        Record noKeys = Record.builder().eventID("x").eventName(OperationType.INSERT)
                .dynamodb(StreamRecord.builder().sequenceNumber(String.format("%021d", 2)).approximateCreationDateTime(Instant.now())
                        .keys(Map.of()).build()).build();

        processor.processRecords(batch(record("a", 1), DynamoDBStreamsClientRecord.fromRecord(noKeys), record("b", 3)));

        assertThat(replica.versionOf("a")).isEqualTo(1);
        assertThat(replica.versionOf("b")).isEqualTo(3);
        assertThat(registry.get(ReplicatingProcessorFactory.UNMAPPABLE).counter().count()).isEqualTo(1);
        assertThat(checkpoints).containsExactly("checkpoint");
    }

    @Test
    void aLostLeaseStopsFollowingTheShard() {
        ReplicatingProcessor processor = processor();

        processor.leaseLost(LeaseLostInput.builder().build());

        assertThat(health.report().shards()).isEmpty();
    }

    private DynamoDBStreamsProcessRecordsInput batch(DynamoDBStreamsClientRecord... records) {
        return DynamoDBStreamsProcessRecordsInput.builder().records(List.of(records)).checkpointer(checkpointer())
                .cacheEntryTime(Instant.now()).cacheExitTime(Instant.now()).childShards(List.of()).build();
    }

    private static DynamoDBStreamsClientRecord record(String key, long sequence) {
        Map<String, AttributeValue> keys = Map.of("pk", AttributeValue.fromS(key));
        Map<String, AttributeValue> image = Map.of("pk", AttributeValue.fromS(key), "n", AttributeValue.fromN(Long.toString(sequence)));
        return DynamoDBStreamsClientRecord.fromRecord(Record.builder().eventID("e" + sequence).eventName(OperationType.MODIFY)
                .awsRegion("us-east-1").dynamodb(StreamRecord.builder().sequenceNumber(String.format("%021d", sequence))
                        .approximateCreationDateTime(Instant.now()).keys(keys).newImage(image).build())
                .build());
    }

    /** A checkpointer that records calls; it can throttle a few times or fail. */
    private RecordProcessorCheckpointer checkpointer() {
        return (RecordProcessorCheckpointer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RecordProcessorCheckpointer.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("checkpoint")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (checkpointError != null) {
                        throw checkpointError;
                    }
                    if (throttleCheckpoints > 0) {
                        throttleCheckpoints--;
                        checkpoints.add("throttled");
                        throw new ThrottlingException("slow down (test)");
                    }
                    checkpoints.add("checkpoint");
                    return null;
                });
    }
}
