package dev.ddbreplicator.kcl.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The worker's answer to {@code /health}: whether it is healthy, why not, and what it holds.
 *
 * @param reason why the worker is unhealthy; empty when it is healthy
 * @param leases the lease keys (shards) this worker holds
 * @param lagMillis the pair's replication lag at its last finished event, -1 before the first
 */
public record HealthReport(boolean healthy, WorkerState state, Optional<String> reason, String pairId, String application,
                           String workerId, List<String> leases, List<ShardReport> shards, long lagMillis) {

    private static final JsonFactory JSON = new JsonFactory();

    public HealthReport {
        leases = List.copyOf(leases);
        shards = List.copyOf(shards);
    }

    /** A small JSON object, one line. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("status", healthy ? "UP" : "DOWN");
            json.writeStringField("state", state.name());
            if (reason.isPresent()) {
                json.writeStringField("reason", reason.get());
            }
            json.writeStringField("pair", pairId);
            json.writeStringField("application", application);
            json.writeStringField("worker", workerId);
            json.writeNumberField("leasesHeld", leases.size());
            json.writeNumberField("lagMillis", lagMillis);
            json.writeArrayFieldStart("leases");
            for (String lease : leases) {
                json.writeString(lease);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("shards");
            for (ShardReport shard : shards) {
                json.writeObjectFieldStart(shard.shardId());
                if (shard.lastAppliedSequence().isPresent()) {
                    json.writeStringField("lastAppliedSequence", shard.lastAppliedSequence().get());
                } else {
                    json.writeNullField("lastAppliedSequence");
                }
                json.writeNumberField("lastPollMillisAgo", shard.lastPollMillisAgo());
                json.writeNumberField("lastWriteMillisAgo", shard.lastWriteMillisAgo());
                json.writeNumberField("lagMillis", shard.lagMillis());
                json.writeNumberField("failingForMillis", shard.failingForMillis());
                if (shard.lastError().isPresent()) {
                    json.writeStringField("lastError", shard.lastError().get());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
