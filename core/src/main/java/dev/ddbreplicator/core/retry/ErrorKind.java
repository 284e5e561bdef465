package dev.ddbreplicator.core.retry;

/** What a caller should do about a failure. */
public enum ErrorKind {
    /** Transient: throttling, a 5xx, an I/O error, a region out of reach. Try again later. */
    RETRYABLE,
    /** The request itself is bad (validation): trying again can never succeed. */
    FATAL
}
