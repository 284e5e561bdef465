package dev.ddbreplicator.lambda;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;
import java.util.Optional;

/**
 * What one invocation did, and Lambda's answer: the sequence number of the first record that must
 * be retried (Lambda checkpoints everything before it and retries from it), or none.
 *
 * @param retryFrom the first record that failed retryably, across every stream and pair of the invocation
 * @param batches one summary per source batch
 */
public record BatchReport(Optional<String> retryFrom, List<BatchSummary> batches) {

    public BatchReport {
        batches = List.copyOf(batches);
    }

    /** The answer for Lambda with {@code ReportBatchItemFailures}: empty means all done. */
    public StreamsEventResponse toResponse() {
        return StreamsEventResponse.builder()
                .withBatchItemFailures(retryFrom
                        .map(sequence -> List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build()))
                        .orElse(List.of()))
                .build();
    }
}
