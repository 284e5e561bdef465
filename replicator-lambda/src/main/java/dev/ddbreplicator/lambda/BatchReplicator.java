package dev.ddbreplicator.lambda;

import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda replicator's logic for one invocation: applies each source batch to every pair
 * registered for its table and finds where Lambda must retry from.
 *
 * <ul>
 *   <li>A table may have several pairs: the batch goes to each; the answer is the earliest record
 *       any of them failed on retryably (replaying the others' records later is harmless: writes
 *       are idempotent).</li>
 *   <li>Poison events never fail the batch: {@link PairReplicator} has dead-lettered them.</li>
 *   <li>No pair for the table, or the control table unreachable: the whole batch fails (from its
 *       first record), with a log line that says why, so nothing is skipped silently.</li>
 *   <li>Each batch is logged as one JSON line with its counts and replication lag; the metrics of
 *       the invocation are published at its end; pair status is written by the replicators.</li>
 * </ul>
 */
public final class BatchReplicator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchReplicator.class);

    /** The pairs registered for a source table. */
    public interface Pairs {

        List<TablePair> ofSourceTable(String table);

        /** Forgets what is cached, so the next lookup reads the pairs again. */
        void refresh();

        /** The pairs of a registry (cached by it). */
        static Pairs of(PairRegistry registry) {
            return new Pairs() {
                @Override
                public List<TablePair> ofSourceTable(String table) {
                    return registry.findBySourceTable(table);
                }

                @Override
                public void refresh() {
                    registry.invalidate();
                }
            };
        }
    }

    private final Pairs pairs;
    private final Function<TablePair, PairReplicator> replicatorFactory;
    private final InvocationMetrics metrics;
    private final Consumer<String> batchLog;
    private final Clock clock;
    private final AutoCloseable resources;
    private final Map<String, PairReplicator> replicators = new HashMap<>();

    /**
     * @param replicatorFactory builds the replicator of a pair (kept until the pair changes)
     * @param batchLog where each batch's JSON line goes (standard output in Lambda)
     * @param resources closed last, with the replicator (the AWS clients)
     */
    public BatchReplicator(Pairs pairs, Function<TablePair, PairReplicator> replicatorFactory, InvocationMetrics metrics,
                           Consumer<String> batchLog, Clock clock, AutoCloseable resources) {
        this.pairs = pairs;
        this.replicatorFactory = replicatorFactory;
        this.metrics = metrics;
        this.batchLog = batchLog;
        this.clock = clock;
        this.resources = resources;
    }

    /** Replicates an invocation's batches, in order, and publishes its metrics. */
    public synchronized BatchReport replicate(List<SourceBatch> batches) {
        metrics.begin();
        try {
            Optional<String> retryFrom = Optional.empty();
            List<BatchSummary> summaries = new ArrayList<>();
            for (SourceBatch batch : batches) {
                BatchSummary summary = replicate(batch);
                batchLog.accept(summary.toJson());
                summaries.add(summary);
                if (retryFrom.isEmpty()) {
                    retryFrom = summary.retryFrom();
                }
            }
            return new BatchReport(retryFrom, summaries);
        } finally {
            metrics.publish();
        }
    }

    private BatchSummary replicate(SourceBatch batch) {
        Instant started = clock.instant();
        List<TablePair> targets;
        try {
            targets = pairsOf(batch);
        } catch (RuntimeException e) {
            return failedWhole(batch, started, "cannot read the pairs from the control table (" + e.getMessage()
                    + "); Lambda retries the batch");
        }
        if (targets.isEmpty()) {
            // Read the control table again on the retry: the operator may be adding the pair right now.
            pairs.refresh();
            return failedWhole(batch, started, "no pair replicates table " + batch.table() + batch.region().map(r -> " in " + r).orElse("")
                    + ": nothing is written and Lambda retries the batch; register one with 'ddb-replicator pairs add'");
        }
        List<ChangeEvent> events = batch.events();
        int earliest = events.size();
        long lagMax = -1;
        long lagLast = -1;
        List<BatchSummary.PairSummary> summaries = new ArrayList<>();
        for (TablePair pair : targets) {
            BatchResult result;
            try {
                result = replicatorFor(pair).apply(events);
            } catch (RuntimeException e) {
                // Building the pair's writer failed (its replica region unreachable, say): retry it all.
                log.error("pair {}: cannot write the batch: {}", pair.id(), e.toString());
                earliest = 0;
                summaries.add(new BatchSummary.PairSummary(pair.id(), 0, 0, 0, 0, events.size(),
                        Optional.of(events.get(0).sequenceNumber()), Optional.of(e.toString())));
                continue;
            }
            int failedAt = firstRetryable(result);
            earliest = Math.min(earliest, failedAt);
            Instant now = clock.instant();
            for (EventOutcome outcome : result.outcomes()) {
                if (outcome.outcome().isDone()) {
                    long lag = Math.max(0, Duration.between(outcome.event().approximateCreationTime(), now).toMillis());
                    lagMax = Math.max(lagMax, lag);
                }
            }
            lagLast = Math.max(lagLast, lastLag(result, now));
            summaries.add(new BatchSummary.PairSummary(pair.id(), result.count(WriteOutcome.APPLIED), result.count(WriteOutcome.STALE),
                    result.count(WriteOutcome.SKIPPED), result.count(WriteOutcome.POISON), result.count(WriteOutcome.RETRYABLE_FAILURE),
                    failedAt < events.size() ? Optional.of(events.get(failedAt).sequenceNumber()) : Optional.empty(),
                    failedAt < events.size() ? Optional.of(result.outcomes().get(failedAt).reason()) : Optional.empty()));
        }
        Optional<String> retryFrom = earliest < events.size() ? Optional.of(events.get(earliest).sequenceNumber()) : Optional.empty();
        return new BatchSummary(batch.table(), batch.eventSourceArn(), events.size(), events.get(0).sequenceNumber(),
                events.get(events.size() - 1).sequenceNumber(), millisSince(started), lagMax, lagLast, summaries, retryFrom, Optional.empty());
    }

    private List<TablePair> pairsOf(SourceBatch batch) {
        List<TablePair> found = pairs.ofSourceTable(batch.table()).stream()
                // An ARN with a real region tells same-named tables in two regions apart.
                .filter(p -> batch.region().map(r -> r.equals(p.sourceRegion())).orElse(true))
                .toList();
        Set<String> ids = found.stream().map(TablePair::id).collect(Collectors.toSet());
        for (Iterator<PairReplicator> it = replicators.values().iterator(); it.hasNext(); ) {
            PairReplicator replicator = it.next();
            if (replicator.pair().sourceTable().equals(batch.table()) && !ids.contains(replicator.pair().id())) {
                // The pair was removed: stop its writer and report what it counted.
                replicator.close();
                it.remove();
            }
        }
        return found;
    }

    private PairReplicator replicatorFor(TablePair pair) {
        PairReplicator existing = replicators.get(pair.id());
        if (existing != null && existing.pair().equals(pair)) {
            return existing;
        }
        if (existing != null) {
            existing.close();
            replicators.remove(pair.id());
        }
        PairReplicator created = replicatorFactory.apply(pair);
        replicators.put(pair.id(), created);
        return created;
    }

    private BatchSummary failedWhole(SourceBatch batch, Instant started, String why) {
        List<ChangeEvent> events = batch.events();
        String first = events.get(0).sequenceNumber();
        return new BatchSummary(batch.table(), batch.eventSourceArn(), events.size(), first, events.get(events.size() - 1).sequenceNumber(),
                millisSince(started), -1, -1, List.of(), Optional.of(first), Optional.of(why));
    }

    private static int firstRetryable(BatchResult result) {
        List<EventOutcome> outcomes = result.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).outcome() == WriteOutcome.RETRYABLE_FAILURE) {
                return i;
            }
        }
        return outcomes.size();
    }

    private static long lastLag(BatchResult result, Instant now) {
        List<EventOutcome> outcomes = result.outcomes();
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            if (outcomes.get(i).outcome().isDone()) {
                return Math.max(0, Duration.between(outcomes.get(i).event().approximateCreationTime(), now).toMillis());
            }
        }
        return -1;
    }

    private long millisSince(Instant started) {
        return Duration.between(started, clock.instant()).toMillis();
    }

    @Override
    public synchronized void close() {
        replicators.values().forEach(PairReplicator::close);
        replicators.clear();
        metrics.close();
        try {
            resources.close();
        } catch (Exception e) {
            log.warn("closing the AWS clients failed: {}", e.toString());
        }
    }
}
