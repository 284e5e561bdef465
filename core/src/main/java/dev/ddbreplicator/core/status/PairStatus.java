package dev.ddbreplicator.core.status;

import java.time.Instant;
import java.util.Optional;

/**
 * What the replicators of one pair have done, summed over every process that replicates it.
 *
 * @param lastSequenceNumber the last stream sequence number a replicator finished with
 * @param lagMillis replication lag of that event when it was written
 * @param updatedAt when a replicator last reported
 */
public record PairStatus(String pairId, long applied, long stale, long skipped, long poison, long retried,
                         Optional<String> lastSequenceNumber, long lagMillis, Optional<Instant> updatedAt) {

    public static PairStatus empty(String pairId) {
        return new PairStatus(pairId, 0, 0, 0, 0, 0, Optional.empty(), -1, Optional.empty());
    }
}
