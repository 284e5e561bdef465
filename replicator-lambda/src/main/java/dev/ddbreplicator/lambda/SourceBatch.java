package dev.ddbreplicator.lambda;

import dev.ddbreplicator.core.model.ChangeEvent;
import java.util.List;
import java.util.Optional;

/**
 * The change events of one source stream in one invocation, in stream order.
 *
 * @param eventSourceArn the stream, as Lambda names it
 * @param table the source table
 * @param region the source region named in the stream ARN, empty when the ARN names none that AWS knows
 */
public record SourceBatch(String eventSourceArn, String table, Optional<String> region, List<ChangeEvent> events) {

    public SourceBatch {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a source batch needs at least one event");
        }
    }
}
