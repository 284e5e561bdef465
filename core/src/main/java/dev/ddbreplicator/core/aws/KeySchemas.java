package dev.ddbreplicator.core.aws;

import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** A table's key schema as one comparable line, for the checks that a replica is keyed like its source. */
public final class KeySchemas {

    private KeySchemas() {
    }

    /** The key schema with types, as {@code pk:S HASH, sk:N RANGE}, for comparing and for messages. */
    public static String signature(TableDescription table) {
        Map<String, String> types = table.attributeDefinitions().stream()
                .collect(Collectors.toMap(AttributeDefinition::attributeName, AttributeDefinition::attributeTypeAsString));
        return table.keySchema().stream()
                .map(k -> k.attributeName() + ":" + types.get(k.attributeName()) + " " + k.keyTypeAsString())
                .collect(Collectors.joining(", "));
    }
}
