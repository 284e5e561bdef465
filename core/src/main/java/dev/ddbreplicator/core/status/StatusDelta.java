package dev.ddbreplicator.core.status;

/** Counts gathered since the last report, and the latest position, of one pair in one process. */
public record StatusDelta(String pairId, long applied, long stale, long skipped, long poison, long retried,
                          String lastSequenceNumber, long lagMillis) {

    public boolean isEmpty() {
        return applied == 0 && stale == 0 && skipped == 0 && poison == 0 && retried == 0 && lastSequenceNumber == null;
    }
}
