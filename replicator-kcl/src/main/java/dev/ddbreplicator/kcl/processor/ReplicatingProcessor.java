package dev.ddbreplicator.kcl.processor;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.kcl.health.ShardProgress;
import dev.ddbreplicator.kcl.health.WorkerHealth;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * Replicates one shard: maps each batch to change events with the core's mapper, writes it with
 * the pair's replicator until every event is finished with, then checkpoints.
 *
 * <p>It never throws from a KCL callback: KCL would skip the batch. A batch that is not finished
 * (the worker is stopping, or something unexpected happened) is never checkpointed, and neither is
 * anything after it: KCL does not deliver a batch twice, so checkpointing a later one would mark
 * the unfinished one done. The shard then waits for the worker's restart, which reads again from
 * the last checkpoint; replays are harmless because replica writes are conditional on version.
 */
final class ReplicatingProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ReplicatingProcessor.class);

    private final String table;
    private final StreamRecordMapper mapper;
    private final BatchApplier applier;
    private final WorkerHealth health;
    private final StopSignal stop;
    private final Counter unmappable;
    private String shardId = "(not initialized)";
    private ShardProgress progress;
    /** A delivered batch is not finished with: nothing may be checkpointed from here on. */
    private boolean behind;

    ReplicatingProcessor(String table, StreamRecordMapper mapper, BatchApplier applier, WorkerHealth health, StopSignal stop,
                         Counter unmappable) {
        this.table = table;
        this.mapper = mapper;
        this.applier = applier;
        this.health = health;
        this.stop = stop;
        this.unmappable = unmappable;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        progress = health.track(shardId);
        log.info("shard {}: replicating from {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        try {
            if (behind) {
                return;
            }
            progress.polled();
            if (input.records().isEmpty()) {
                return;
            }
            List<ChangeEvent> events = toEvents(input.records());
            if (!events.isEmpty() && applier.apply(shardId, events, progress) == BatchApplier.Result.STOPPED) {
                behind = true;
                return;
            }
            checkpoint(input.checkpointer(), "batch");
        } catch (Throwable unexpected) {
            halt(unexpected);
        }
    }

    private List<ChangeEvent> toEvents(List<DynamoDBStreamsClientRecord> records) {
        List<ChangeEvent> events = new ArrayList<>(records.size());
        for (DynamoDBStreamsClientRecord record : records) {
            try {
                events.add(mapper.map(record.getRecord(), table));
            } catch (IllegalArgumentException e) {
                // A record without keys or with an unknown event name cannot be replicated, now or
                // later; holding the shard on it forever would stop the whole pair.
                unmappable.increment();
                log.error("shard {}: skipping a stream record that is not a change of an item ({}): {}", shardId, e.getMessage(),
                        record.getRecord());
            }
        }
        return events;
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        if (stop.isStopped()) {
            log.info("shard {}: released as this worker stops", shardId);
        } else {
            log.info("shard {}: lease lost; another worker goes on from the last checkpoint", shardId);
        }
        untrack();
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        try {
            if (!behind && checkpoint(input.checkpointer(), "shard end")) {
                log.info("shard {}: ended and checkpointed; its children go on", shardId);
            }
        } catch (Throwable unexpected) {
            halt(unexpected);
        } finally {
            untrack();
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        try {
            if (!behind && checkpoint(input.checkpointer(), "shutdown")) {
                log.info("shard {}: checkpointed before handing the shard over", shardId);
            }
        } catch (Throwable unexpected) {
            halt(unexpected);
        } finally {
            untrack();
        }
    }

    /** Checkpoints at the end of what was delivered; retries what is worth retrying unless the worker stops. */
    private boolean checkpoint(RecordProcessorCheckpointer checkpointer, String when) {
        for (int attempt = 1; ; attempt++) {
            try {
                checkpointer.checkpoint();
                return true;
            } catch (ShutdownException e) {
                log.info("shard {}: lease lost before the {} checkpoint; the next owner reads the batch again (harmless)", shardId, when);
                return false;
            } catch (InvalidStateException e) {
                log.error("shard {}: cannot store the {} checkpoint (the lease table is missing or broken): {}", shardId, when,
                        e.getMessage());
                return false;
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                log.warn("shard {}: {} checkpoint failed ({}); retrying", shardId, when, e.toString());
                if (stop.await(Duration.ofMillis(BatchApplier.BACKOFF.ceiling(attempt).toMillis()))) {
                    return false;
                }
            }
        }
    }

    private void halt(Throwable error) {
        behind = true;
        if (progress != null) {
            progress.failing("halted: " + error);
        }
        log.error("shard {}: unexpected error; the shard stops here without checkpointing, so /health fails and the supervisor"
                + " restarts the worker, which reads it again", shardId, error);
    }

    private void untrack() {
        if (progress != null) {
            health.untrack(progress);
        }
    }
}
