package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both replicators call for each batch of one pair: writes it with the {@link ReplicaWriter},
 * sends poison events to the dead-letter store, records the metrics and tells the observer
 * (status reporting). A poison event whose
 * letter cannot be stored is reported as a retryable failure instead, so it is never dropped.
 */
public final class PairReplicator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PairReplicator.class);

    private final TablePair pair;
    private final ReplicaWriter writer;
    private final DeadLetterStore deadLetters;
    private final ReplicationMetrics metrics;
    private final Clock clock;
    private final BatchObserver observer;

    public PairReplicator(TablePair pair, ReplicaWriter writer, DeadLetterStore deadLetters, ReplicationMetrics metrics, Clock clock,
                          BatchObserver observer) {
        this.pair = pair;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.observer = observer;
    }

    public TablePair pair() {
        return pair;
    }

    public ReplicationMetrics metrics() {
        return metrics;
    }

    public BatchResult apply(List<ChangeEvent> events) {
        Instant started = clock.instant();
        BatchResult result = writer.write(events);
        for (EventOutcome poison : result.withOutcome(WriteOutcome.POISON)) {
            result = deadLetter(result, poison);
        }
        Instant finished = clock.instant();
        metrics.record(result, Duration.between(started, finished), finished);
        observer.written(result);
        return result;
    }

    private BatchResult deadLetter(BatchResult result, EventOutcome poison) {
        ChangeEvent event = poison.event();
        try {
            deadLetters.put(new DeadLetter(pair.id(), event, poison.reason(), clock.instant()));
            log.warn("pair {}: event {} for key {} dead-lettered: {}", pair.id(), event.sequenceNumber(), event.keys(), poison.reason());
            return result;
        } catch (RuntimeException e) {
            log.error("pair {}: event {} is poison ({}) but the dead-letter store failed: {}; it will be retried",
                    pair.id(), event.sequenceNumber(), poison.reason(), e.toString());
            return result.replace(poison, new EventOutcome(event, WriteOutcome.RETRYABLE_FAILURE,
                    "poison, and the dead-letter store failed: " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        writer.close();
        observer.close();
    }
}
