package dev.ddbreplicator.testkit;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Creates test tables, with or without a NEW_AND_OLD_IMAGES stream. */
public final class TestTables {

    private TestTables() {
    }

    /** Creates a table with a NEW_AND_OLD_IMAGES stream and waits until it is active. */
    public static TableDescription createWithStream(DynamoDbClient client, String name, TableShape shape) {
        return create(client, name, shape, true);
    }

    /** Creates a table without a stream (a replica) and waits until it is active. */
    public static TableDescription create(DynamoDbClient client, String name, TableShape shape) {
        return create(client, name, shape, false);
    }

    private static TableDescription create(DynamoDbClient client, String name, TableShape shape, boolean stream) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .keySchema(shape.keySchema())
                .attributeDefinitions(shape.attributeDefinitions())
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (stream) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                    .build());
        }
        client.createTable(request.build());
        client.waiter().waitUntilTableExists(b -> b.tableName(name));
        return client.describeTable(b -> b.tableName(name)).table();
    }
}
