package dev.ddbreplicator.testkit.lambda;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Records the poller gave up on after {@code MaximumRetryAttempts}, as Lambda reports them to the
 * event source mapping's on-failure destination (which carries the shard and sequence range only;
 * the records are here too, for tests).
 *
 * @param reason why the last attempt failed: a function error, or a reported batch item failure
 * @param attempts how many invocations failed on these records
 */
public record DiscardedBatch(String streamArn, String shardId, String startSequenceNumber, String endSequenceNumber,
                             int batchSize, String reason, int attempts, List<Record> records) {

    public DiscardedBatch {
        records = List.copyOf(records);
    }
}
