package dev.ddbreplicator.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * One source batch of an invocation, as the replicator logs it: one JSON line, so CloudWatch Logs
 * Insights can query it ({@code filter event = "batch" | stats max(lagMsMax) by bin(1m)}).
 *
 * @param lagMsMax the largest replication lag of an event finished with, -1 when none was
 * @param lagMsLast the lag of the newest event finished with, -1 when none was
 * @param retryFrom where Lambda must retry this batch from, if it must
 * @param error why the whole batch failed (no pair, control table unreachable), if it did
 */
public record BatchSummary(String table, String eventSourceArn, int records, String firstSequence, String lastSequence,
                           long durationMs, long lagMsMax, long lagMsLast, List<PairSummary> pairs, Optional<String> retryFrom,
                           Optional<String> error) {

    private static final JsonFactory JSON = new JsonFactory();

    public BatchSummary {
        pairs = List.copyOf(pairs);
    }

    /**
     * What one pair made of the batch.
     *
     * @param failed events that must be retried
     * @param error why the first of them failed, or why the pair could not write at all
     */
    public record PairSummary(String pair, long applied, long stale, long skipped, long poison, long failed,
                              Optional<String> retryFrom, Optional<String> error) {
    }

    /** The batch as one line of JSON. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("event", "batch");
            json.writeStringField("level", error.isPresent() ? "ERROR" : retryFrom.isPresent() ? "WARN" : "INFO");
            json.writeStringField("table", table);
            json.writeStringField("stream", eventSourceArn);
            json.writeNumberField("records", records);
            json.writeStringField("firstSequence", firstSequence);
            json.writeStringField("lastSequence", lastSequence);
            json.writeNumberField("durationMs", durationMs);
            json.writeNumberField("lagMsMax", lagMsMax);
            json.writeNumberField("lagMsLast", lagMsLast);
            json.writeArrayFieldStart("pairs");
            for (PairSummary pair : pairs) {
                json.writeStartObject();
                json.writeStringField("pair", pair.pair());
                json.writeNumberField("applied", pair.applied());
                json.writeNumberField("stale", pair.stale());
                json.writeNumberField("skipped", pair.skipped());
                json.writeNumberField("poison", pair.poison());
                json.writeNumberField("failed", pair.failed());
                if (pair.retryFrom().isPresent()) {
                    json.writeStringField("retryFrom", pair.retryFrom().get());
                }
                if (pair.error().isPresent()) {
                    json.writeStringField("error", pair.error().get());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (retryFrom.isPresent()) {
                json.writeStringField("retryFrom", retryFrom.get());
            }
            if (error.isPresent()) {
                json.writeStringField("error", error.get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
