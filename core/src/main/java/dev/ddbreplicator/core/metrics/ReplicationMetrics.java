package dev.ddbreplicator.core.metrics;

import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.EventOutcome;
import dev.ddbreplicator.core.write.WriteOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The meters both replicators publish, under the same names, tagged with the pair id:
 * events by outcome, retried writes, batch write time, and replication lag (now minus the
 * stream's creation time of each event) with p50 and p99.
 */
public final class ReplicationMetrics {

    public static final String EVENTS = "replicator.events";
    public static final String RETRIES = "replicator.writes.retried";
    public static final String BATCH_TIME = "replicator.batch.duration";
    public static final String LAG = "replicator.lag";

    private final Map<WriteOutcome, Counter> events = new EnumMap<>(WriteOutcome.class);
    private final Counter retries;
    private final Timer batchTime;
    private final DistributionSummary lag;
    private volatile long lastLagMillis = -1;
    private volatile String lastSequenceNumber;

    public ReplicationMetrics(MeterRegistry registry, String pairId) {
        for (WriteOutcome outcome : WriteOutcome.values()) {
            events.put(outcome, Counter.builder(EVENTS)
                    .description("change events by what became of them")
                    .tag("pair", pairId)
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        retries = Counter.builder(RETRIES).description("writes retried after a transient error").tag("pair", pairId).register(registry);
        batchTime = Timer.builder(BATCH_TIME).description("time to write one batch to the replica").tag("pair", pairId)
                .publishPercentiles(0.5, 0.99).register(registry);
        lag = DistributionSummary.builder(LAG).description("source change to replica write").baseUnit("milliseconds")
                .tag("pair", pairId).publishPercentiles(0.5, 0.99).register(registry);
    }

    /** Records a written batch. */
    public void record(BatchResult result, Duration took, Instant now) {
        batchTime.record(took);
        for (EventOutcome outcome : result.outcomes()) {
            events.get(outcome.outcome()).increment();
            if (outcome.outcome().isDone()) {
                long millis = Math.max(0, Duration.between(outcome.event().approximateCreationTime(), now).toMillis());
                lag.record(millis);
                lastLagMillis = millis;
                lastSequenceNumber = outcome.event().sequenceNumber();
            }
        }
    }

    /** Counts each retry the writer makes. */
    public Retrier.Listener retryListener() {
        return (attempt, error) -> retries.increment();
    }

    public double count(WriteOutcome outcome) {
        return events.get(outcome).count();
    }

    public double retries() {
        return retries.count();
    }

    /** The lag of the last finished event, or -1 before the first. */
    public long lastLagMillis() {
        return lastLagMillis;
    }

    /** The sequence number of the last finished event, or null before the first. */
    public String lastSequenceNumber() {
        return lastSequenceNumber;
    }

    public DistributionSummary lag() {
        return lag;
    }
}
