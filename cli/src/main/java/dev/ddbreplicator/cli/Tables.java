package dev.ddbreplicator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Table questions the verbs ask: does it exist, has it the right stream, does a replica's key match. */
final class Tables {

    private Tables() {
    }

    /** The table's description, or empty when it does not exist. */
    static Optional<TableDescription> describe(DynamoDbClient client, String table) {
        try {
            return Optional.of(client.describeTable(b -> b.tableName(table)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    static TableDescription require(DynamoDbClient client, String table, String region, String what) {
        return describe(client, table).orElseThrow(() -> CliException.notFound(what + " table '" + table + "' not found in " + region));
    }

    /** Whether the table streams what replication needs. */
    static boolean hasReplicationStream(TableDescription table) {
        StreamSpecification stream = table.streamSpecification();
        return stream != null && Boolean.TRUE.equals(stream.streamEnabled()) && stream.streamViewType() == StreamViewType.NEW_AND_OLD_IMAGES
                && table.latestStreamArn() != null;
    }

    /** Fails with what to do unless the table streams NEW_AND_OLD_IMAGES. */
    static void requireReplicationStream(TableDescription table, String region) {
        if (hasReplicationStream(table)) {
            return;
        }
        StreamSpecification stream = table.streamSpecification();
        if (stream != null && Boolean.TRUE.equals(stream.streamEnabled())) {
            throw CliException.badRequest("table '" + table.tableName() + "' in " + region + " streams " + stream.streamViewTypeAsString()
                    + ", replication needs NEW_AND_OLD_IMAGES; see 'ddb-replicator streams enable --help'");
        }
        throw CliException.badRequest("table '" + table.tableName() + "' in " + region + " has no stream; run 'ddb-replicator --region "
                + region + " streams enable --table " + table.tableName() + "' first");
    }

    /** A request that creates {@code name} with the source's key schema, indexes and billing mode (no stream). */
    static CreateTableRequest replicaOf(TableDescription source, String name) {
        boolean provisioned = source.billingModeSummary() == null || source.billingModeSummary().billingMode() == BillingMode.PROVISIONED;
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .keySchema(source.keySchema())
                .attributeDefinitions(source.attributeDefinitions())
                .billingMode(provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST);
        if (provisioned) {
            request.provisionedThroughput(throughput(source.provisionedThroughput()));
        }
        if (source.hasGlobalSecondaryIndexes() && !source.globalSecondaryIndexes().isEmpty()) {
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            source.globalSecondaryIndexes().forEach(gsi -> {
                GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
                        .indexName(gsi.indexName()).keySchema(gsi.keySchema()).projection(gsi.projection());
                if (provisioned) {
                    index.provisionedThroughput(throughput(gsi.provisionedThroughput()));
                }
                indexes.add(index.build());
            });
            request.globalSecondaryIndexes(indexes);
        }
        if (source.hasLocalSecondaryIndexes() && !source.localSecondaryIndexes().isEmpty()) {
            request.localSecondaryIndexes(source.localSecondaryIndexes().stream()
                    .map(lsi -> LocalSecondaryIndex.builder().indexName(lsi.indexName()).keySchema(lsi.keySchema()).projection(lsi.projection()).build())
                    .toList());
        }
        return request.build();
    }

    private static ProvisionedThroughput throughput(ProvisionedThroughputDescription description) {
        long read = description == null || description.readCapacityUnits() == null ? 5 : Math.max(1, description.readCapacityUnits());
        long write = description == null || description.writeCapacityUnits() == null ? 5 : Math.max(1, description.writeCapacityUnits());
        return ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build();
    }

    /** The key attribute names, hash first. */
    static List<String> keyNames(TableDescription table) {
        return table.keySchema().stream().map(KeySchemaElement::attributeName).toList();
    }
}
