package dev.ddbreplicator.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The primary key of a test table: a hash key and an optional range key, each with its type. */
public record TableShape(String hashKey, ScalarAttributeType hashType, Optional<String> rangeKey,
                         ScalarAttributeType rangeType) {

    /** {@code pk} (S) only. */
    public static final TableShape HASH_ONLY = new TableShape("pk", ScalarAttributeType.S, Optional.empty(), null);
    /** {@code pk} (S) and {@code sk} (N). */
    public static final TableShape HASH_AND_RANGE =
            new TableShape("pk", ScalarAttributeType.S, Optional.of("sk"), ScalarAttributeType.N);

    public TableShape {
        if (hashKey == null || hashKey.isEmpty() || hashType == null) {
            throw new IllegalArgumentException("a table shape needs a hash key and its type");
        }
        if (rangeKey.isPresent() && rangeType == null) {
            throw new IllegalArgumentException("range key " + rangeKey.get() + " needs a type");
        }
    }

    public List<KeySchemaElement> keySchema() {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        rangeKey.ifPresent(r -> schema.add(KeySchemaElement.builder().attributeName(r).keyType(KeyType.RANGE).build()));
        return schema;
    }

    public List<AttributeDefinition> attributeDefinitions() {
        List<AttributeDefinition> definitions = new ArrayList<>();
        definitions.add(AttributeDefinition.builder().attributeName(hashKey).attributeType(hashType).build());
        rangeKey.ifPresent(r -> definitions.add(AttributeDefinition.builder().attributeName(r).attributeType(rangeType).build()));
        return definitions;
    }

    public List<String> keyNames() {
        List<String> names = new ArrayList<>();
        names.add(hashKey);
        rangeKey.ifPresent(names::add);
        return names;
    }
}
