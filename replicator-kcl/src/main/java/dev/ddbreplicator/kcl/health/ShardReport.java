package dev.ddbreplicator.kcl.health;

import java.util.Optional;

/**
 * One shard in a health report. Times are milliseconds ago, -1 for never.
 *
 * @param lastAppliedSequence the last sequence number finished with
 * @param failingForMillis how long the current batch has been failing, -1 if it is not
 * @param lagMillis source change to replica write of the last event finished with
 */
public record ShardReport(String shardId, Optional<String> lastAppliedSequence, long lastPollMillisAgo, long lastWriteMillisAgo,
                          long failingForMillis, Optional<String> lastError, long lagMillis) {
}
