package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Issue 8: streams enable|status and pairs add|list|remove on the embedded stack, with their refusals. */
class PairsAndStreamsTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static final Cli CLI = new Cli(AWS, null);
    private static AwsClients clients;

    @BeforeAll
    static void wire() {
        clients = CLI.clients();
    }

    @AfterAll
    static void unwire() {
        clients.close();
    }

    private static DynamoDbClient east() {
        return clients.dynamoDb("us-east-1");
    }

    private static DynamoDbClient west() {
        return clients.dynamoDb("eu-west-1");
    }

    @Test
    void streamsEnableTurnsOnNewAndOldImagesAndASecondRunIsSkipped() {
        TestTables.create(east(), "plain", TableShape.HASH_ONLY);
        Cli.Run before = CLI.run("streams", "status", "--table", "plain");
        assertThat(before.code()).isEqualTo(1);
        assertThat(before.err()).contains("has no stream").contains("streams enable --table plain");

        Cli.Run enable = CLI.run("--json", "streams", "enable", "--table", "plain");
        assertThat(enable.code()).as(enable.toString()).isZero();
        assertThat(enable.json().get("status").asText()).isEqualTo("success");
        assertThat(enable.json().get("data").get("viewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(east().describeTable(b -> b.tableName("plain")).table().latestStreamArn()).isNotNull();

        Cli.Run again = CLI.run("--json", "streams", "enable", "--table", "plain");
        assertThat(again.code()).isZero();
        assertThat(again.json().get("status").asText()).isEqualTo("skipped");
        assertThat(CLI.run("streams", "status", "--table", "plain").code()).isZero();
    }

    @Test
    void aStreamWithAnotherViewTypeIsNotChangedAndTheAnswerSaysWhy() {
        east().createTable(b -> b.tableName("keysonly").keySchema(TableShape.HASH_ONLY.keySchema())
                .attributeDefinitions(TableShape.HASH_ONLY.attributeDefinitions()).billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
        Cli.Run enable = CLI.run("streams", "enable", "--table", "keysonly");
        assertThat(enable.code()).isEqualTo(2);
        assertThat(enable.err().lines()).hasSize(1);
        assertThat(enable.err()).contains("KEYS_ONLY").contains("NEW_AND_OLD_IMAGES").contains("disable");
        assertThat(east().describeTable(b -> b.tableName("keysonly")).table().streamSpecification().streamViewType())
                .isEqualTo(StreamViewType.KEYS_ONLY);
        assertThat(CLI.run("streams", "status", "--table", "keysonly").code()).isEqualTo(1);
        assertThat(CLI.run("streams", "enable", "--table", "no-such-table").code()).isEqualTo(2);
    }

    @Test
    void pairsAddWithCreateReplicaCopiesKeySchemaIndexesAndBillingModeThenListAndRemove() {
        east().createTable(b -> b.tableName("shop").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(7L).writeCapacityUnits(3L))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .attributeDefinitions(attr("pk", ScalarAttributeType.S), attr("sk", ScalarAttributeType.N), attr("email", ScalarAttributeType.S),
                        attr("placed", ScalarAttributeType.N))
                .globalSecondaryIndexes(g -> g.indexName("by-email").keySchema(key("email", KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .provisionedThroughput(t -> t.readCapacityUnits(2L).writeCapacityUnits(2L)))
                .localSecondaryIndexes(l -> l.indexName("by-placed").keySchema(key("pk", KeyType.HASH), key("placed", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));

        Cli.Run add = CLI.run("--json", "pairs", "add", "--source-table", "shop", "--source-region", "us-east-1", "--replica-table", "shop-copy",
                "--replica-region", "eu-west-1", "--create-replica", "--ttl-deletes", "skip");
        assertThat(add.code()).as(add.toString()).isZero();
        JsonNode data = add.json().get("data");
        assertThat(data.get("id").asText()).isEqualTo("shop.us-east-1-to-shop-copy.eu-west-1");
        assertThat(data.get("state").asText()).isEqualTo("BACKFILLING");
        assertThat(data.get("ttlDeletes").asText()).isEqualTo("skip");

        TableDescription replica = west().describeTable(b -> b.tableName("shop-copy")).table();
        assertThat(replica.keySchema()).containsExactly(key("pk", KeyType.HASH), key("sk", KeyType.RANGE));
        assertThat(replica.globalSecondaryIndexes()).singleElement().satisfies(g -> {
            assertThat(g.indexName()).isEqualTo("by-email");
            assertThat(g.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
        });
        assertThat(replica.localSecondaryIndexes()).singleElement().satisfies(l -> assertThat(l.indexName()).isEqualTo("by-placed"));
        assertThat(replica.provisionedThroughput().readCapacityUnits()).isEqualTo(7L);
        assertThat(replica.provisionedThroughput().writeCapacityUnits()).isEqualTo(3L);

        Cli.Run list = CLI.run("pairs", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("shop.us-east-1-to-shop-copy.eu-west-1").contains("shop@us-east-1").contains("BACKFILLING");

        Cli.Run remove = CLI.run("pairs", "remove", "--id", "shop.us-east-1-to-shop-copy.eu-west-1");
        assertThat(remove.code()).as(remove.toString()).isZero();
        assertThat(CLI.run("--json", "pairs", "list").json().get("data").get("pairs").toString()).doesNotContain("shop-copy");
        assertThat(CLI.run("pairs", "remove", "--id", "shop.us-east-1-to-shop-copy.eu-west-1").code()).isEqualTo(2);
    }

    @Test
    void aPairThatWouldCloseALoopIsRefusedWithTheLoopNamedAndNothingRegistered() {
        streamed(east(), "loop-a");
        streamed(west(), "loop-b");
        assertThat(CLI.run("pairs", "add", "--source-table", "loop-a", "--source-region", "us-east-1", "--replica-table", "loop-b",
                "--replica-region", "eu-west-1", "--id", "a-to-b").code()).isZero();

        Cli.Run back = CLI.run("pairs", "add", "--source-table", "loop-b", "--source-region", "eu-west-1", "--replica-table", "loop-a",
                "--replica-region", "us-east-1", "--id", "b-to-a");
        assertThat(back.code()).isEqualTo(2);
        assertThat(back.err().lines()).hasSize(1);
        assertThat(back.err()).contains("loop-b@eu-west-1 -> loop-a@us-east-1 -> loop-b@eu-west-1");
        assertThat(CLI.run("pairs", "list").out()).doesNotContain("b-to-a");
    }

    @Test
    void aReplicaWithAnotherKeySchemaIsRefused() {
        streamed(east(), "keyed");
        TestTables.create(west(), "keyed", TableShape.HASH_AND_RANGE);
        Cli.Run add = CLI.run("pairs", "add", "--source-table", "keyed", "--source-region", "us-east-1", "--replica-table", "keyed",
                "--replica-region", "eu-west-1", "--id", "keyed");
        assertThat(add.code()).isEqualTo(2);
        assertThat(add.err()).contains("key schema").contains("pk:S HASH, sk:N RANGE").contains("[pk:S HASH]");
        assertThat(CLI.run("pairs", "list").out()).doesNotContain("keyed");
    }

    @Test
    void aPairTakesAnotherVersionAttributeButNotAKeyAttributeOfTheSource() {
        streamed(east(), "versioned");
        TestTables.create(west(), "versioned", TableShape.HASH_ONLY);
        Cli.Run onKey = CLI.run("pairs", "add", "--source-table", "versioned", "--source-region", "us-east-1", "--replica-table", "versioned",
                "--replica-region", "eu-west-1", "--id", "versioned", "--version-attribute", "pk");
        assertThat(onKey.code()).isEqualTo(2);
        assertThat(onKey.err().lines()).singleElement().asString().contains("--version-attribute 'pk' is a key attribute");
        assertThat(CLI.run("pairs", "list").out()).doesNotContain("versioned");

        Cli.Run add = CLI.run("--json", "pairs", "add", "--source-table", "versioned", "--source-region", "us-east-1", "--replica-table",
                "versioned", "--replica-region", "eu-west-1", "--id", "versioned", "--version-attribute", "_ver");
        assertThat(add.code()).as(add.toString()).isZero();
        assertThat(add.json().get("data").get("versionAttribute").asText()).isEqualTo("_ver");
        assertThat(CLI.run("--json", "pairs", "list").json().get("data").get("pairs").findValuesAsText("versionAttribute")).contains("_ver");
    }

    @Test
    void aSourceWithoutAStreamOrAMissingReplicaIsRefusedWithWhatToDo() {
        TestTables.create(east(), "unstreamed", TableShape.HASH_ONLY);
        Cli.Run noStream = CLI.run("pairs", "add", "--source-table", "unstreamed", "--source-region", "us-east-1", "--replica-table",
                "unstreamed", "--replica-region", "eu-west-1", "--create-replica");
        assertThat(noStream.code()).isEqualTo(2);
        assertThat(noStream.err()).contains("has no stream").contains("streams enable --table unstreamed");
        assertThat(west().listTables().tableNames()).doesNotContain("unstreamed");

        streamed(east(), "lonely");
        Cli.Run noReplica = CLI.run("pairs", "add", "--source-table", "lonely", "--source-region", "us-east-1", "--replica-table", "lonely",
                "--replica-region", "eu-west-1");
        assertThat(noReplica.code()).isEqualTo(2);
        assertThat(noReplica.err()).contains("not found in eu-west-1").contains("--create-replica");

        Cli.Run badRegion = CLI.run("pairs", "add", "--source-table", "lonely", "--source-region", "mars-north-1", "--replica-table", "lonely",
                "--replica-region", "eu-west-1");
        assertThat(badRegion.code()).isEqualTo(2);
        assertThat(badRegion.err()).contains("mars-north-1");
        assertThat(CLI.run("pairs", "list").out()).doesNotContain("lonely");
    }

    private static void streamed(DynamoDbClient client, String table) {
        TestTables.createWithStream(client, table, TableShape.HASH_ONLY);
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
