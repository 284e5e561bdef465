package dev.ddbreplicator.backup.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Our {@code table-description.json}: what a restore needs to recreate the table (keys, attribute
 * types, indexes, billing, TTL attribute, stream), plus the table's size when it was exported.
 *
 * @param keySchema the primary key: hash first, then the optional range key
 * @param provisioned read and write capacity for PROVISIONED tables
 * @param ttlAttribute the TTL attribute when TTL is enabled
 * @param streamViewType the stream's view type when a stream is enabled
 */
public record TableDefinition(String tableName, String tableArn, List<Key> keySchema, List<Attribute> attributeDefinitions,
                              BillingMode billingMode, Optional<Throughput> provisioned, List<Index> globalIndexes,
                              List<Index> localIndexes, Optional<String> ttlAttribute, Optional<StreamViewType> streamViewType,
                              Optional<TableClass> tableClass, long itemCount, long tableSizeBytes) {

    /** One element of a key schema. */
    public record Key(String name, KeyType type) {
    }

    /** One attribute definition. */
    public record Attribute(String name, ScalarAttributeType type) {
    }

    /** Provisioned capacity. */
    public record Throughput(long read, long write) {
    }

    /** A secondary index. */
    public record Index(String name, List<Key> keySchema, ProjectionType projection, List<String> nonKeyAttributes,
                        Optional<Throughput> provisioned) {
        public Index {
            keySchema = List.copyOf(keySchema);
            nonKeyAttributes = List.copyOf(nonKeyAttributes);
        }
    }

    public TableDefinition {
        keySchema = List.copyOf(keySchema);
        attributeDefinitions = List.copyOf(attributeDefinitions);
        globalIndexes = List.copyOf(globalIndexes);
        localIndexes = List.copyOf(localIndexes);
        if (keySchema.isEmpty() || keySchema.get(0).type() != KeyType.HASH) {
            throw new IllegalArgumentException("a key schema starts with its HASH key");
        }
    }

    /** The definition of a described table. */
    public static TableDefinition from(TableDescription table, Optional<String> ttlAttribute) {
        BillingMode billing = table.billingModeSummary() == null || table.billingModeSummary().billingMode() == null
                ? BillingMode.PROVISIONED : table.billingModeSummary().billingMode();
        return new TableDefinition(
                table.tableName(),
                table.tableArn(),
                keys(table.keySchema()),
                table.attributeDefinitions().stream().map(a -> new Attribute(a.attributeName(), a.attributeType())).toList(),
                billing,
                billing == BillingMode.PROVISIONED ? throughput(table.provisionedThroughput()) : Optional.empty(),
                table.globalSecondaryIndexes().stream()
                        .map(g -> new Index(g.indexName(), keys(g.keySchema()), g.projection().projectionType(),
                                g.projection().nonKeyAttributes(),
                                billing == BillingMode.PROVISIONED ? throughput(g.provisionedThroughput()) : Optional.empty()))
                        .toList(),
                table.localSecondaryIndexes().stream()
                        .map(l -> new Index(l.indexName(), keys(l.keySchema()), l.projection().projectionType(),
                                l.projection().nonKeyAttributes(), Optional.empty()))
                        .toList(),
                ttlAttribute,
                table.streamSpecification() != null && Boolean.TRUE.equals(table.streamSpecification().streamEnabled())
                        ? Optional.ofNullable(table.streamSpecification().streamViewType()) : Optional.empty(),
                table.tableClassSummary() == null ? Optional.empty() : Optional.ofNullable(table.tableClassSummary().tableClass()),
                table.itemCount() == null ? 0 : table.itemCount(),
                table.tableSizeBytes() == null ? 0 : table.tableSizeBytes());
    }

    /** A table with only a primary key, for native exports restored with the key given on the command line. */
    public static TableDefinition keysOnly(String tableName, List<Key> keySchema, List<Attribute> attributes) {
        return new TableDefinition(tableName, "", keySchema, attributes, BillingMode.PAY_PER_REQUEST, Optional.empty(), List.of(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
    }

    /** The names of the primary key attributes, hash first. */
    public List<String> keyNames() {
        return keySchema.stream().map(Key::name).toList();
    }

    /** The request that creates this table under another name. */
    public CreateTableRequest toCreateTable(String name) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .keySchema(sdkKeys(keySchema))
                .attributeDefinitions(attributeDefinitions.stream()
                        .map(a -> AttributeDefinition.builder().attributeName(a.name()).attributeType(a.type()).build())
                        .toList())
                .billingMode(billingMode);
        if (billingMode == BillingMode.PROVISIONED) {
            request.provisionedThroughput(sdkThroughput(provisioned.orElse(new Throughput(5, 5))));
        }
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes.stream().map(i -> {
                GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
                        .indexName(i.name())
                        .keySchema(sdkKeys(i.keySchema()))
                        .projection(projection(i));
                if (billingMode == BillingMode.PROVISIONED) {
                    index.provisionedThroughput(sdkThroughput(i.provisioned().orElse(new Throughput(5, 5))));
                }
                return index.build();
            }).toList());
        }
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes.stream()
                    .map(i -> LocalSecondaryIndex.builder().indexName(i.name()).keySchema(sdkKeys(i.keySchema())).projection(projection(i)).build())
                    .toList());
        }
        streamViewType.ifPresent(v -> request.streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(v).build()));
        tableClass.ifPresent(request::tableClass);
        return request.build();
    }

    /** Pretty-printed JSON. */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("formatVersion", 1);
        root.put("tableName", tableName);
        root.put("tableArn", tableArn);
        root.set("keySchema", keysJson(keySchema));
        ArrayNode attributes = root.putArray("attributeDefinitions");
        attributeDefinitions.forEach(a -> attributes.addObject().put("attributeName", a.name()).put("attributeType", a.type().toString()));
        root.put("billingMode", billingMode.toString());
        provisioned.ifPresent(t -> throughputJson(root, t));
        root.set("globalSecondaryIndexes", indexesJson(globalIndexes));
        root.set("localSecondaryIndexes", indexesJson(localIndexes));
        ttlAttribute.ifPresentOrElse(a -> root.put("timeToLiveAttribute", a), () -> root.putNull("timeToLiveAttribute"));
        streamViewType.ifPresentOrElse(v -> root.put("streamViewType", v.toString()), () -> root.putNull("streamViewType"));
        tableClass.ifPresentOrElse(c -> root.put("tableClass", c.toString()), () -> root.putNull("tableClass"));
        root.put("itemCount", itemCount);
        root.put("tableSizeBytes", tableSizeBytes);
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code table-description.json}.
     *
     * @throws IOException when it is not JSON or lacks the key schema
     */
    public static TableDefinition parse(byte[] bytes) throws IOException {
        JsonNode root = Json.read(bytes);
        if (root == null || !root.isObject() || !root.path("keySchema").isArray()) {
            throw new IOException("not a table description: no keySchema");
        }
        try {
            List<Attribute> attributes = new ArrayList<>();
            root.path("attributeDefinitions").forEach(a -> attributes.add(
                    new Attribute(a.path("attributeName").asText(), ScalarAttributeType.fromValue(a.path("attributeType").asText()))));
            BillingMode billing = BillingMode.fromValue(root.path("billingMode").asText("PAY_PER_REQUEST"));
            return new TableDefinition(
                    root.path("tableName").asText(),
                    root.path("tableArn").asText(""),
                    parseKeys(root.path("keySchema")),
                    attributes,
                    billing,
                    parseThroughput(root),
                    parseIndexes(root.path("globalSecondaryIndexes")),
                    parseIndexes(root.path("localSecondaryIndexes")),
                    Json.text(root, "timeToLiveAttribute"),
                    Json.text(root, "streamViewType").map(StreamViewType::fromValue),
                    Json.text(root, "tableClass").map(TableClass::fromValue),
                    root.path("itemCount").asLong(0),
                    root.path("tableSizeBytes").asLong(0));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad table description: " + e.getMessage(), e);
        }
    }

    private static List<Key> keys(List<KeySchemaElement> schema) {
        List<Key> keys = new ArrayList<>();
        schema.stream().filter(k -> k.keyType() == KeyType.HASH).forEach(k -> keys.add(new Key(k.attributeName(), KeyType.HASH)));
        schema.stream().filter(k -> k.keyType() == KeyType.RANGE).forEach(k -> keys.add(new Key(k.attributeName(), KeyType.RANGE)));
        return keys;
    }

    private static List<KeySchemaElement> sdkKeys(List<Key> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.name()).keyType(k.type()).build()).toList();
    }

    private static Optional<Throughput> throughput(ProvisionedThroughputDescription description) {
        if (description == null || description.readCapacityUnits() == null || description.readCapacityUnits() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Throughput(description.readCapacityUnits(), description.writeCapacityUnits()));
    }

    private static ProvisionedThroughput sdkThroughput(Throughput t) {
        return ProvisionedThroughput.builder().readCapacityUnits(t.read()).writeCapacityUnits(t.write()).build();
    }

    private static Projection projection(Index index) {
        Projection.Builder projection = Projection.builder().projectionType(index.projection());
        if (index.projection() == ProjectionType.INCLUDE) {
            projection.nonKeyAttributes(index.nonKeyAttributes());
        }
        return projection.build();
    }

    private static ArrayNode keysJson(List<Key> keys) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        keys.forEach(k -> array.addObject().put("attributeName", k.name()).put("keyType", k.type().toString()));
        return array;
    }

    private static void throughputJson(ObjectNode parent, Throughput t) {
        parent.putObject("provisionedThroughput").put("readCapacityUnits", t.read()).put("writeCapacityUnits", t.write());
    }

    private static ArrayNode indexesJson(List<Index> indexes) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Index index : indexes) {
            ObjectNode node = array.addObject();
            node.put("indexName", index.name());
            node.set("keySchema", keysJson(index.keySchema()));
            ObjectNode projection = node.putObject("projection");
            projection.put("projectionType", index.projection().toString());
            ArrayNode nonKey = projection.putArray("nonKeyAttributes");
            index.nonKeyAttributes().forEach(nonKey::add);
            index.provisioned().ifPresent(t -> throughputJson(node, t));
        }
        return array;
    }

    private static List<Key> parseKeys(JsonNode array) {
        List<Key> keys = new ArrayList<>();
        array.forEach(k -> keys.add(new Key(k.path("attributeName").asText(), KeyType.fromValue(k.path("keyType").asText()))));
        for (Key key : keys) {
            if (key.name().isEmpty() || key.type() == KeyType.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("bad key schema element " + key);
            }
        }
        return keys;
    }

    private static Optional<Throughput> parseThroughput(JsonNode node) {
        JsonNode t = node.get("provisionedThroughput");
        if (t == null || t.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Throughput(t.path("readCapacityUnits").asLong(5), t.path("writeCapacityUnits").asLong(5)));
    }

    private static List<Index> parseIndexes(JsonNode array) {
        List<Index> indexes = new ArrayList<>();
        array.forEach(i -> {
            List<String> nonKey = new ArrayList<>();
            i.path("projection").path("nonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
            indexes.add(new Index(i.path("indexName").asText(), parseKeys(i.path("keySchema")),
                    ProjectionType.fromValue(i.path("projection").path("projectionType").asText("ALL")), nonKey, parseThroughput(i)));
        });
        return indexes;
    }
}
