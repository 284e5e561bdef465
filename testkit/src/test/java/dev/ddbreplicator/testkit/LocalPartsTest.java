package dev.ddbreplicator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

class LocalPartsTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1").persistent();

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.persistent();

    @Test
    void regionsAreSeparateServers() {
        try (DynamoDbClient east = AWS.source().client(); DynamoDbClient west = AWS.replica().client()) {
            TestTables.create(east, "only-east", TableShape.HASH_ONLY);
            assertThat(east.listTables().tableNames()).contains("only-east");
            assertThat(west.listTables().tableNames()).doesNotContain("only-east");
        }
    }

    @Test
    void streamReaderReturnsEveryChangeInOrderPerKey() {
        try (DynamoDbClient client = AWS.source().client(); DynamoDbStreamsClient streams = AWS.source().streamsClient()) {
            TestTables.createWithStream(client, "streamed", TableShape.HASH_AND_RANGE);
            Workload workload = Workload.mixed(TableShape.HASH_AND_RANGE, 50, 7);
            long done = workload.run(client, "streamed", 300, 3);

            List<Record> records = new StreamReader(streams).readAll(StreamReader.streamArn(client, "streamed"));

            // Deletes of absent items and no-op updates leave no record, so records <= operations.
            assertThat(done).isEqualTo(300);
            assertThat(records).isNotEmpty().hasSizeLessThanOrEqualTo(300);
            assertThat(records).allSatisfy(r -> assertThat(r.dynamodb().keys()).containsKeys("pk", "sk"));
        }
    }

    @Test
    void comparerFindsMissingExtraAndDifferentItemsButIgnoresTheVersion() {
        try (DynamoDbClient east = AWS.source().client(); DynamoDbClient west = AWS.replica().client()) {
            TestTables.create(east, "cmp", TableShape.HASH_ONLY);
            TestTables.create(west, "cmp", TableShape.HASH_ONLY);
            put(east, "cmp", "same", "v");
            put(west, "cmp", "same", "v");
            west.updateItem(b -> b.tableName("cmp").key(Map.of("pk", AttributeValue.fromS("same")))
                    .updateExpression("SET #v = :v").expressionAttributeNames(Map.of("#v", "_rv"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("0001"))));
            put(east, "cmp", "missing", "v");
            put(west, "cmp", "extra", "v");
            put(east, "cmp", "changed", "a");
            put(west, "cmp", "changed", "b");

            TableDiff diff = new TableComparer(Set.of("_rv")).compare(east, "cmp", west, "cmp");

            assertThat(diff.isEqual()).isFalse();
            assertThat(diff.missing()).isEqualTo(1);
            assertThat(diff.extra()).isEqualTo(1);
            assertThat(diff.different()).isEqualTo(1);
            assertThat(diff.missingExamples()).singleElement().asString().contains("missing");
        }
    }

    @Test
    void aStoppedRegionRefusesConnectionsAndComesBackWithItsTables() {
        LocalRegion west = AWS.replica();
        try (DynamoDbClient client = west.client()) {
            TestTables.create(client, "survivor", TableShape.HASH_ONLY);
            put(client, "survivor", "k", "v");
            west.stop();
            assertThatThrownBy(() -> client.listTables()).isInstanceOf(SdkClientException.class);
            west.start();
            assertThat(client.getItem(b -> b.tableName("survivor").key(Map.of("pk", AttributeValue.fromS("k")))).item())
                    .containsEntry("value", AttributeValue.fromS("v"));
        }
    }

    @Test
    void s3ServerStoresObjectsAcrossARestart() {
        LocalS3 server = S3.server();
        try (S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("bucket"));
            s3.putObject(b -> b.bucket("bucket").key("a/b.txt"), RequestBody.fromString("hello"));
            server.stop();
            server.start();
            assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket").key("a/b.txt")).asUtf8String()).isEqualTo("hello");
        }
    }

    @Test
    void faultInjectorThrottlesTheNamedOperationsOnly() {
        FaultInjector faults = new FaultInjector(1.0, 1, "PutItem");
        try (DynamoDbClient client = AWS.source().client(faults)) {
            TestTables.create(client, "throttled", TableShape.HASH_ONLY);
            assertThatThrownBy(() -> put(client, "throttled", "k", "v"))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            faults.share(0);
            put(client, "throttled", "k", "v");
            assertThat(faults.injected()).isPositive();
        }
    }

    @Test
    void afterSendFaultsLetTheWriteLandButReportAFailure() {
        FaultInjector faults = new FaultInjector(FaultInjector.Phase.AFTER_SEND, 1.0, 1, "PutItem");
        try (DynamoDbClient client = AWS.source().client(faults); DynamoDbClient plain = AWS.source().client()) {
            TestTables.create(plain, "lost-answer", TableShape.HASH_ONLY);
            assertThatThrownBy(() -> put(client, "lost-answer", "k", "v"))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThat(plain.getItem(b -> b.tableName("lost-answer").key(Map.of("pk", AttributeValue.fromS("k")))).item())
                    .containsEntry("value", AttributeValue.fromS("v"));
        }
    }

    private static void put(DynamoDbClient client, String table, String key, String value) {
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key), "value", AttributeValue.fromS(value))));
    }
}
