package dev.ddbreplicator.lambda;

/**
 * A record of the Lambda event cannot be turned into a change event (no stream ARN, no keys, an
 * unknown event name). The handler lets it fail the invocation: Lambda then bisects the batch down
 * to the bad record and, after {@code MaximumRetryAttempts}, reports it to the on-failure queue.
 * Retrying cannot fix it; look at the record the message names.
 */
public final class UnreadableRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
