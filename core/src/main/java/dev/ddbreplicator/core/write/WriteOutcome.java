package dev.ddbreplicator.core.write;

/** What became of one change event. */
public enum WriteOutcome {
    /** Written to the replica. */
    APPLIED,
    /** Not written because the replica already has something newer (or a later event of the same batch superseded it). */
    STALE,
    /** Not written on purpose, by the pair's policy (a TTL delete with the skip policy). */
    SKIPPED,
    /** Not written yet because of a transient fault: the batch must be retried from this event. */
    RETRYABLE_FAILURE,
    /** Can never be written as it is; goes to the dead-letter store. */
    POISON;

    /** Whether the event is finished with: nothing about it needs retrying. */
    public boolean isDone() {
        return this != RETRYABLE_FAILURE;
    }
}
