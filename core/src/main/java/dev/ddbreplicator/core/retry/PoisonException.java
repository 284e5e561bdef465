package dev.ddbreplicator.core.retry;

/**
 * Thrown when one event can never be written as it is (too large, wrong key type): retrying is
 * pointless; the event belongs in the dead-letter store.
 */
public final class PoisonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PoisonException(String message) {
        super(message);
    }

    public PoisonException(String message, Throwable cause) {
        super(message, cause);
    }
}
