package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.retry.ErrorClassifier;
import dev.ddbreplicator.core.retry.ErrorKind;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Follows a table's stream from its oldest record and applies every batch through the core's
 * {@link PairReplicator}, as a runtime does: shards parents first, a batch retried from its first
 * failed change until it is complete. Runs in its own thread until closed. This is the demo's
 * built-in replicator; production runs the Lambda or the KCL worker.
 */
final class StreamFollower implements DemoReplicator {

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String table;
    private final PairReplicator replicator;
    private final StreamRecordMapper mapper;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Map<String, String> iterators = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Map<String, String> lastSequence = new HashMap<>();
    private List<Shard> lastShards = List.of();
    private volatile boolean running = true;

    StreamFollower(DynamoDbStreamsClient streams, String streamArn, String table, PairReplicator replicator, Clock clock) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.table = table;
        this.replicator = replicator;
        this.mapper = new StreamRecordMapper(clock);
        this.thread = new Thread(this::follow, "stream-follower-" + table);
        this.thread.setDaemon(true);
    }

    StreamFollower start() {
        thread.start();
        return this;
    }

    @Override
    public String describe() {
        return "core (built-in stream follower)";
    }

    @Override
    public long applied() {
        return (long) replicator.metrics().count(WriteOutcome.APPLIED);
    }

    /** The error that stopped the follower, if one did. */
    RuntimeException failure() {
        return failure.get();
    }

    private void follow() {
        int failedPasses = 0;
        try {
            while (running) {
                try {
                    int records = pass();
                    failedPasses = 0;
                    if (records == 0) {
                        Thread.sleep(100);
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    // A slow or unreachable stream endpoint: try again, as a runtime would; give up only on a fault that stays.
                    if (ErrorClassifier.classify(e) == ErrorKind.FATAL || ++failedPasses > 20) {
                        failure.set(e);
                        return;
                    }
                    Thread.sleep(Math.min(5000, 100L << Math.min(failedPasses, 6)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round over every readable shard; returns how many records it applied. */
    private int pass() throws InterruptedException {
        int records = 0;
        for (Shard shard : shards()) {
            String id = shard.shardId();
            if (finished.contains(id)) {
                continue;
            }
            String parent = shard.parentShardId();
            if (parent != null && !finished.contains(parent) && knownShard(parent)) {
                continue;
            }
            String iterator = iterators.computeIfAbsent(id, this::iterator);
            GetRecordsResponse page;
            try {
                page = streams.getRecords(b -> b.shardIterator(iterator).limit(1000));
            } catch (ExpiredIteratorException | TrimmedDataAccessException stale) {
                // An iterator left idle too long, or (DynamoDB Local) one taken while the shard was
                // empty: the next pass takes a new one after the last record applied.
                iterators.remove(id);
                continue;
            }
            apply(page.records());
            records += page.records().size();
            if (!page.records().isEmpty()) {
                lastSequence.put(id, page.records().get(page.records().size() - 1).dynamodb().sequenceNumber());
            }
            if (page.nextShardIterator() == null) {
                finished.add(id);
                iterators.remove(id);
            } else {
                iterators.put(id, page.nextShardIterator());
            }
        }
        return records;
    }

    /** A shard's iterator: after its last applied record, or from its start. */
    private String iterator(String shardId) {
        String after = lastSequence.get(shardId);
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (after == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            }
        }).shardIterator();
    }

    private boolean knownShard(String id) {
        return iterators.containsKey(id) || lastShards.stream().anyMatch(s -> s.shardId().equals(id));
    }

    private List<Shard> shards() {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
                    .streamDescription();
            all.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        lastShards = all;
        return all;
    }

    private void apply(List<Record> records) throws InterruptedException {
        List<ChangeEvent> events = records.stream().map(r -> mapper.map(r, table)).toList();
        int from = 0;
        while (from < events.size()) {
            List<ChangeEvent> batch = events.subList(from, events.size());
            BatchResult result = replicator.apply(batch);
            int failedAt = result.firstRetryableFailure().map(f -> result.outcomes().indexOf(f)).orElse(batch.size());
            from += failedAt;
            if (from < events.size()) {
                // Retry from the first failed change, as Lambda and KCL do; never skip it.
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replicator.close();
    }
}
