package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.ddbreplicator.core.pair.TtlDeletePolicy;
import dev.ddbreplicator.core.write.ReplicaVersion;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB Local never deletes by TTL, so this uses an event as Lambda delivers it from a real
 * table: a TTL delete (user identity: the DynamoDB service) and a user's delete, for a source table
 * with two pairs, one that replicates TTL deletes and one that keeps the expired items.
 */
class TtlDeleteEventTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LambdaTestStack.SOURCE_REGION, LambdaTestStack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static LambdaTestStack stack;

    @BeforeAll
    static void stack() {
        stack = new LambdaTestStack(AWS.source(), AWS.replica(), S3.server());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void aTtlDeleteIsReplicatedOrKeptByEachPairsPolicyWhileAUsersDeleteAlwaysReplicates() {
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("events/ttl-delete.json");
        assertThat(event.getRecords().get(0).getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
        for (String replica : new String[] {"sessions-all", "sessions-live"}) {
            TestTables.create(stack.replicaClient, replica, TableShape.HASH_ONLY);
            seed(replica, "session-1");
            seed(replica, "session-2");
        }
        stack.register("sessions-all", "sessions", "sessions-all", TtlDeletePolicy.REPLICATE);
        stack.register("sessions-live", "sessions", "sessions-live", TtlDeletePolicy.SKIP);
        stack.batchLines.clear();

        StreamsEventResponse response = stack.handler("ttl").handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(exists("sessions-all", "session-1")).as("TTL delete replicated").isFalse();
        assertThat(exists("sessions-all", "session-2")).isFalse();
        assertThat(exists("sessions-live", "session-1")).as("TTL delete skipped: the replica keeps the expired item").isTrue();
        assertThat(exists("sessions-live", "session-2")).as("a user's delete replicates whatever the TTL policy").isFalse();
        assertThat(stack.batchLines).singleElement().asString()
                .contains("\"table\":\"sessions\"")
                .contains("{\"pair\":\"sessions-all\",\"applied\":2,\"stale\":0,\"skipped\":0,")
                .contains("{\"pair\":\"sessions-live\",\"applied\":1,\"stale\":0,\"skipped\":1,");
    }

    private static void seed(String table, String key) {
        stack.replicaClient.putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS(key),
                "user", AttributeValue.fromS("someone"),
                WriterSettings.DEFAULT_VERSION_ATTRIBUTE, AttributeValue.fromS(ReplicaVersion.of("600000000000000000000").value()))));
    }

    private static boolean exists(String table, String key) {
        return stack.replicaClient.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key))).consistentRead(true))
                .hasItem();
    }
}
