package dev.ddbreplicator.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Plays Lambda's event source mapping for a DynamoDB stream on DynamoDB Local: reads the table's
 * real stream from {@code TRIM_HORIZON}, shard by shard with parents before children, and calls a
 * {@code RequestHandler<DynamodbEvent, StreamsEventResponse>} with real {@link DynamodbEvent}
 * batches, one batch at a time per shard. It honours the answer as the mapping does with
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]}:
 *
 * <ul>
 *   <li>No answer, or no batch item failures: the whole batch is checkpointed.</li>
 *   <li>Batch item failures: the records before the lowest reported sequence number are
 *       checkpointed; the next batch starts at that record. An item identifier that is empty or
 *       names no record of the batch fails the whole batch.</li>
 *   <li>The handler throws (a function error): the whole batch is retried; with
 *       {@code BisectBatchOnFunctionError} it is first split in two halves, each retried on its own
 *       (and split again while it keeps failing).</li>
 *   <li>{@code MaximumRetryAttempts} ({@code -1}: forever): failed attempts on the same first
 *       record are counted, and when they exceed the limit the records of that (sub-)batch are
 *       handed to the on-failure destination and skipped. The count starts again whenever the
 *       checkpoint moves or a batch is split.</li>
 * </ul>
 *
 * <p>Run it once with {@link #drain(Duration)} (deliver everything in the stream now, return when
 * every shard is caught up), or follow the stream live with {@link #start()} and {@link #stop()};
 * {@link #awaitCaughtUp(Duration)} waits until the live poller has delivered everything written
 * before the call. Checkpoints are kept between calls, so a later drain delivers only new records.
 * Not emulated: the batching window, the record age limit, function timeouts, and parallel shards.
 */
public final class LambdaStreamPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LambdaStreamPoller.class);
    private static final int READ_LIMIT = 1000;
    /** An open shard never ends; this many empty reads in a row mean it is caught up. */
    private static final int EMPTY_READS_WHEN_CAUGHT_UP = 2;
    /**
     * How often the shards are listed while none has ended. Lambda's mapping does not list them on
     * every poll either, and DynamoDB Local's DescribeStream grows slower with every record its
     * streams hold: listed on each cycle, it kept the server's one database thread busy under load.
     */
    private static final long SHARD_LIST_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String eventSourceArn;
    private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
    private final String region;
    private final int batchSize;
    private final int maximumRetryAttempts;
    private final boolean bisect;
    private final Consumer<DiscardedBatch> onFailure;
    private final String functionName;
    private final Duration functionTimeout;
    private final Duration idleWait;

    private final ReentrantLock cycleLock = new ReentrantLock();
    private final Map<String, ShardCursor> cursors = new LinkedHashMap<>();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong functionErrors = new AtomicLong();
    private final AtomicLong partialFailures = new AtomicLong();
    private final AtomicLong bisections = new AtomicLong();
    private final AtomicLong checkpointed = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private volatile long cycles;
    private long shardsListedAt;
    private long endedWhenListed = -1;
    private volatile long lastIdleCycle;
    private volatile boolean following;
    private Thread follower;

    private LambdaStreamPoller(Builder builder) {
        this.streams = builder.streams;
        this.streamArn = builder.streamArn;
        this.handler = builder.handler;
        this.region = builder.region;
        this.eventSourceArn = LambdaEvents.eventSourceArn(streamArn, region);
        this.batchSize = builder.batchSize;
        this.maximumRetryAttempts = builder.maximumRetryAttempts;
        this.bisect = builder.bisect;
        this.onFailure = builder.onFailure;
        this.functionName = builder.functionName;
        this.functionTimeout = builder.functionTimeout;
        this.idleWait = builder.idleWait;
    }

    /**
     * A poller of one stream for one handler.
     *
     * @param streams a client of the region that holds the stream
     * @param streamArn the stream, as DynamoDB Local names it (its {@code LatestStreamArn})
     */
    public static Builder builder(DynamoDbStreamsClient streams, String streamArn,
                                  RequestHandler<DynamodbEvent, StreamsEventResponse> handler) {
        return new Builder(streams, streamArn, handler);
    }

    /** The stream ARN the handler sees in {@code eventSourceARN}. */
    public String eventSourceArn() {
        return eventSourceArn;
    }

    /**
     * Delivers every record now in the stream (after the checkpoints) and returns once every shard
     * is caught up.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout} (a handler that keeps
     *                               failing with unlimited retries never gets there), or the poller
     *                               is following the stream live
     */
    public PollerStats drain(Duration timeout) {
        synchronized (this) {
            if (follower != null) {
                throw new IllegalStateException("the poller follows the stream live; stop() it before drain()");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstCycle = cycles + 1;
        while (lastIdleCycle < firstCycle) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("stream " + eventSourceArn + " not drained within " + timeout + ": " + stats());
            }
            cycle();
        }
        return stats();
    }

    /** Follows the stream in a background thread until {@link #stop()}. */
    public synchronized void start() {
        if (follower != null) {
            throw new IllegalStateException("the poller already follows the stream");
        }
        following = true;
        follower = new Thread(this::follow, "lambda-poller-" + eventSourceArn.substring(eventSourceArn.lastIndexOf(":table/") + 7));
        follower.setDaemon(true);
        follower.start();
    }

    /** Stops following the stream, after the invocation under way (if any) has finished. */
    public void stop() {
        Thread thread;
        synchronized (this) {
            following = false;
            thread = follower;
            follower = null;
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until the live poller has delivered, and had answered, every record written before this call.
     *
     * @throws IllegalStateException if it does not get there within {@code timeout}
     */
    public PollerStats awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A cycle that started after this call must end idle: the one under way may have missed new records.
        long firstCycle = cycles + 1;
        while (lastIdleCycle < firstCycle) {
            if (!following) {
                throw new IllegalStateException("the poller is not following the stream; call start() or drain()");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("stream " + eventSourceArn + " not caught up within " + timeout + ": " + stats());
            }
            sleep(Duration.ofMillis(10));
        }
        return stats();
    }

    public PollerStats stats() {
        return new PollerStats(invocations.get(), functionErrors.get(), partialFailures.get(), bisections.get(), checkpointed.get(),
                discarded.get());
    }

    @Override
    public void close() {
        stop();
    }

    private void follow() {
        while (following) {
            boolean invoked;
            try {
                invoked = cycle();
            } catch (RuntimeException e) {
                log.warn("polling {} failed, trying again: {}", eventSourceArn, e.toString());
                invoked = false;
            }
            if (!invoked && following) {
                sleep(idleWait);
            }
        }
    }

    /** One pass over the shards: read each, invoke once per shard with pending records. Returns whether it invoked. */
    private boolean cycle() {
        cycleLock.lock();
        try {
            long number = cycles + 1;
            cycles = number;
            long ended = cursors.values().stream().filter(c -> c.ended).count();
            if (cursors.isEmpty() || ended != endedWhenListed || System.nanoTime() - shardsListedAt >= SHARD_LIST_INTERVAL_NANOS) {
                // A shard that ended has children to find at once; otherwise the list is refreshed now and then.
                refreshShards();
                shardsListedAt = System.nanoTime();
                endedWhenListed = ended;
            }
            boolean invoked = false;
            boolean caughtUp = true;
            for (ShardCursor cursor : cursors.values()) {
                if (!parentFinished(cursor)) {
                    caughtUp = false;
                    continue;
                }
                read(cursor);
                if (!cursor.pending.isEmpty()) {
                    invoke(cursor);
                    invoked = true;
                }
                caughtUp &= cursor.caughtUp();
            }
            if (!invoked && caughtUp) {
                lastIdleCycle = number;
            }
            return invoked;
        } finally {
            cycleLock.unlock();
        }
    }

    private void refreshShards() {
        List<Shard> shards = new ArrayList<>();
        try {
            String start = null;
            do {
                String exclusiveStart = start;
                StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
                        .streamDescription();
                shards.addAll(description.shards());
                start = description.lastEvaluatedShardId();
            } while (start != null);
        } catch (SdkException e) {
            log.warn("could not list the shards of {}: {}", eventSourceArn, e.toString());
            return;
        }
        Map<String, Shard> byId = new HashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        Set<String> placed = new HashSet<>(cursors.keySet());
        for (Shard shard : shards) {
            addParentsFirst(shard, byId, placed);
        }
    }

    private void addParentsFirst(Shard shard, Map<String, Shard> byId, Set<String> placed) {
        if (placed.contains(shard.shardId())) {
            return;
        }
        Shard parent = shard.parentShardId() == null ? null : byId.get(shard.parentShardId());
        if (parent != null) {
            addParentsFirst(parent, byId, placed);
        }
        placed.add(shard.shardId());
        cursors.put(shard.shardId(), new ShardCursor(shard.shardId(), shard.parentShardId()));
    }

    private boolean parentFinished(ShardCursor cursor) {
        ShardCursor parent = cursor.parentShardId == null ? null : cursors.get(cursor.parentShardId);
        return parent == null || parent.finished();
    }

    private void read(ShardCursor cursor) {
        if (cursor.ended || cursor.pending.size() >= batchSize) {
            return;
        }
        try {
            if (cursor.iterator == null) {
                cursor.iterator = iterator(cursor);
                if (cursor.iterator == null) {
                    cursor.ended = true;
                    return;
                }
            }
            String current = cursor.iterator;
            GetRecordsResponse page;
            try {
                page = streams.getRecords(b -> b.shardIterator(current).limit(READ_LIMIT));
            } catch (ExpiredIteratorException | TrimmedDataAccessException stale) {
                // An iterator left idle too long, or (DynamoDB Local) one taken while the shard was
                // empty: take a new one after the last record read, as the mapping does.
                cursor.iterator = null;
                cursor.emptyReads = 0;
                return;
            }
            cursor.pending.addAll(page.records());
            if (!page.records().isEmpty()) {
                cursor.lastRead = page.records().get(page.records().size() - 1).dynamodb().sequenceNumber();
            }
            cursor.emptyReads = page.records().isEmpty() ? cursor.emptyReads + 1 : 0;
            cursor.iterator = page.nextShardIterator();
            cursor.ended = cursor.iterator == null;
        } catch (SdkException e) {
            cursor.emptyReads = 0;
            log.warn("reading shard {} of {} failed, trying again: {}", cursor.shardId, eventSourceArn, e.toString());
        }
    }

    private String iterator(ShardCursor cursor) {
        if (cursor.lastRead == null) {
            return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(cursor.shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        }
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(cursor.shardId)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(cursor.lastRead)).shardIterator();
    }

    private void invoke(ShardCursor cursor) {
        int size = Math.min(cursor.splits.isEmpty() ? batchSize : cursor.splits.peek(), cursor.pending.size());
        List<Record> batch = new ArrayList<>(size);
        Iterator<Record> pending = cursor.pending.iterator();
        while (batch.size() < size) {
            batch.add(pending.next());
        }
        invocations.incrementAndGet();
        Answer answer = call(batch);
        if (answer.failedAt < 0) {
            checkpoint(cursor, size);
            cursor.attempts = 0;
            finishSplit(cursor);
            return;
        }
        if (answer.functionError) {
            functionErrors.incrementAndGet();
            if (bisect && size > 1) {
                bisections.incrementAndGet();
                int first = size / 2;
                if (!cursor.splits.isEmpty()) {
                    cursor.splits.pop();
                }
                cursor.splits.push(size - first);
                cursor.splits.push(first);
                cursor.attempts = 0;
                return;
            }
            failed(cursor, batch, answer.reason);
            return;
        }
        partialFailures.incrementAndGet();
        int at = answer.failedAt;
        if (at > 0) {
            checkpoint(cursor, at);
            cursor.attempts = 0;
            if (!cursor.splits.isEmpty()) {
                cursor.splits.push(cursor.splits.pop() - at);
            }
        }
        failed(cursor, batch.subList(at, size), answer.reason);
    }

    private void failed(ShardCursor cursor, List<Record> records, String reason) {
        cursor.attempts++;
        if (maximumRetryAttempts < 0 || cursor.attempts <= maximumRetryAttempts) {
            return;
        }
        DiscardedBatch batch = new DiscardedBatch(eventSourceArn, cursor.shardId, records.get(0).dynamodb().sequenceNumber(),
                records.get(records.size() - 1).dynamodb().sequenceNumber(), records.size(), reason, cursor.attempts, records);
        log.error("giving up on {} records of shard {} after {} failed attempts ({}); they go to the on-failure destination",
                records.size(), cursor.shardId, cursor.attempts, reason);
        int count = records.size();
        for (int i = 0; i < count; i++) {
            cursor.pending.removeFirst();
        }
        discarded.addAndGet(count);
        cursor.attempts = 0;
        finishSplit(cursor);
        onFailure.accept(batch);
    }

    private void checkpoint(ShardCursor cursor, int count) {
        for (int i = 0; i < count; i++) {
            cursor.pending.removeFirst();
        }
        checkpointed.addAndGet(count);
    }

    private static void finishSplit(ShardCursor cursor) {
        if (!cursor.splits.isEmpty()) {
            cursor.splits.pop();
        }
    }

    private Answer call(List<Record> batch) {
        DynamodbEvent event = LambdaEvents.event(batch, eventSourceArn, region);
        StreamsEventResponse response;
        try {
            response = handler.handleRequest(event, new PollerContext(functionName, region, functionTimeout));
        } catch (RuntimeException | Error e) {
            log.warn("function error on a batch of {} records: {}", batch.size(), e.toString());
            return new Answer(0, true, "function error: " + e);
        }
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return Answer.SUCCESS;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.put(batch.get(i).dynamodb().sequenceNumber(), i);
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            Integer position = id == null ? null : positions.get(id);
            if (position == null) {
                log.warn("batch item failure names no record of the batch ({}): the whole batch failed", id);
                return new Answer(0, false, "unusable itemIdentifier: " + id);
            }
            lowest = Math.min(lowest, position);
        }
        return new Answer(lowest, false, "batch item failure at " + batch.get(lowest).dynamodb().sequenceNumber());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What became of one invocation: {@code failedAt} is the first record to retry, -1 when none. */
    private record Answer(int failedAt, boolean functionError, String reason) {
        static final Answer SUCCESS = new Answer(-1, false, "");
    }

    /** The poller's position in one shard. */
    private static final class ShardCursor {
        final String shardId;
        final String parentShardId;
        /** Read but not yet checkpointed, in stream order. */
        final ArrayDeque<Record> pending = new ArrayDeque<>();
        /** Sizes of the sub-batches still to deliver after a split, the next first. */
        final Deque<Integer> splits = new ArrayDeque<>();
        String iterator;
        String lastRead;
        boolean ended;
        int emptyReads;
        int attempts;

        ShardCursor(String shardId, String parentShardId) {
            this.shardId = shardId;
            this.parentShardId = parentShardId;
        }

        boolean finished() {
            return ended && pending.isEmpty();
        }

        boolean caughtUp() {
            return pending.isEmpty() && (ended || emptyReads >= EMPTY_READS_WHEN_CAUGHT_UP);
        }
    }

    /** Settings of a {@link LambdaStreamPoller}, named as in the event source mapping; defaults are Lambda's. */
    public static final class Builder {
        private final DynamoDbStreamsClient streams;
        private final String streamArn;
        private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
        private String region = "us-east-1";
        private int batchSize = 100;
        private int maximumRetryAttempts = -1;
        private boolean bisect;
        private Consumer<DiscardedBatch> onFailure = batch -> { };
        private String functionName = "replicator";
        private Duration functionTimeout = Duration.ofMinutes(5);
        private Duration idleWait = Duration.ofMillis(100);

        private Builder(DynamoDbStreamsClient streams, String streamArn, RequestHandler<DynamodbEvent, StreamsEventResponse> handler) {
            this.streams = Objects.requireNonNull(streams, "streams client");
            this.streamArn = Objects.requireNonNull(streamArn, "stream ARN");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The region the stream stands for: it goes into {@code awsRegion} and {@code eventSourceARN}. */
        public Builder region(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("region is empty");
            }
            this.region = value;
            return this;
        }

        /** {@code BatchSize}: the most records per invocation, 1 to 10,000 (default 100). */
        public Builder batchSize(int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("batch size must be 1 to 10000, got: " + value);
            }
            this.batchSize = value;
            return this;
        }

        /** {@code MaximumRetryAttempts}: -1 retries forever (default), else 0 to 10,000. */
        public Builder maximumRetryAttempts(int value) {
            if (value < -1 || value > 10_000) {
                throw new IllegalArgumentException("maximum retry attempts must be -1 to 10000, got: " + value);
            }
            this.maximumRetryAttempts = value;
            return this;
        }

        /** {@code BisectBatchOnFunctionError} (default false). */
        public Builder bisectBatchOnFunctionError(boolean value) {
            this.bisect = value;
            return this;
        }

        /** The on-failure destination: gets the records given up on. */
        public Builder onFailure(Consumer<DiscardedBatch> destination) {
            this.onFailure = Objects.requireNonNull(destination, "on-failure destination");
            return this;
        }

        public Builder functionName(String value) {
            this.functionName = Objects.requireNonNull(value, "function name");
            return this;
        }

        /** What {@code Context.getRemainingTimeInMillis()} counts down from; not enforced. */
        public Builder functionTimeout(Duration value) {
            this.functionTimeout = Objects.requireNonNull(value, "function timeout");
            return this;
        }

        /** How long the live poller waits after a pass that found nothing new (default 100 ms). */
        public Builder idleWait(Duration value) {
            this.idleWait = Objects.requireNonNull(value, "idle wait");
            return this;
        }

        public LambdaStreamPoller build() {
            return new LambdaStreamPoller(this);
        }
    }
}
