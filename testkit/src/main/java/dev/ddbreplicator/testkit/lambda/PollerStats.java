package dev.ddbreplicator.testkit.lambda;

/**
 * What a {@link LambdaStreamPoller} has done so far.
 *
 * @param invocations handler calls
 * @param functionErrors invocations that threw
 * @param partialFailures invocations that answered with batch item failures (or an unusable answer)
 * @param bisections batches split in two after a function error
 * @param recordsCheckpointed records finished with: the handler succeeded on them
 * @param recordsDiscarded records given up on after the retry limit (sent to the on-failure destination)
 */
public record PollerStats(long invocations, long functionErrors, long partialFailures, long bisections,
                          long recordsCheckpointed, long recordsDiscarded) {

    /** Invocations that failed in any way, so Lambda retried records. */
    public long failedInvocations() {
        return functionErrors + partialFailures;
    }
}
