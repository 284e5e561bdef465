package dev.ddbreplicator.kcl;

/**
 * The worker could not start for a reason outside its settings (a table without a stream, a port
 * in use, AWS out of reach). The message says what to fix; the process exits with status 1.
 */
public final class WorkerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerStartException(String message) {
        super(message);
    }

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
