package dev.ddbreplicator.backup.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.Rate;
import dev.ddbreplicator.backup.format.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The schedule's event input, e.g. {@code {"tables":["orders"],"prefix":"nightly","segments":16,"rate":"25%",
 * "retention":{"keep":7}}}; every field is optional and overrides the environment. EventBridge's own
 * scheduled-event envelope (no input configured) overrides nothing.
 */
public final class ScheduleInput {

    private ScheduleInput() {
    }

    /**
     * The configuration for this run.
     *
     * @throws IllegalArgumentException naming the input field whose value is bad
     */
    public static ScheduleConfig apply(ScheduleConfig base, byte[] input) {
        JsonNode event;
        try {
            event = input.length == 0 ? null : Json.read(input);
        } catch (IOException e) {
            throw new IllegalArgumentException("the schedule's input is not JSON: " + e.getMessage());
        }
        if (event == null || !event.isObject() || event.has("detail-type")) {
            return base;
        }
        List<String> tables = base.tables();
        JsonNode tableNode = event.get("tables");
        if (tableNode != null && tableNode.isArray()) {
            tables = new ArrayList<>();
            for (JsonNode t : tableNode) {
                tables.add(t.asText());
            }
        } else if (tableNode != null && tableNode.isTextual()) {
            tables = ScheduleConfig.tableList(tableNode.asText());
        }
        OptionalInt segments = base.segments();
        if (event.hasNonNull("segments")) {
            segments = OptionalInt.of(ScheduleConfig.parseInt("input segments", event.get("segments").asText()));
        }
        Optional<Rate> rate = Json.text(event, "rate").map(r -> ScheduleConfig.check("input rate", () -> Rate.parse(r)));
        JsonNode retention = event.path("retention");
        boolean retentionGiven = retention.hasNonNull("keep") || retention.hasNonNull("olderThan");
        return new ScheduleConfig(base.region(),
                Json.text(event, "bucket").orElse(base.bucket()),
                Json.text(event, "prefix").orElse(base.prefix()),
                tables,
                segments,
                rate.or(base::rate),
                retentionGiven
                        ? ScheduleConfig.retention(Json.text(retention, "keep"), Json.text(retention, "olderThan"), "input retention.keep",
                        "input retention.olderThan")
                        : base.retention(),
                Json.text(event, "kmsKeyId").map(Encryption::kms).orElse(base.encryption()));
    }
}
