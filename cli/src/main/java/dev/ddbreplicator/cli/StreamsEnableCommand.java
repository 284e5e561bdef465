package dev.ddbreplicator.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** {@code streams enable --table T}: turns on the NEW_AND_OLD_IMAGES stream replication reads. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Turn on the table's stream with NEW_AND_OLD_IMAGES (in --region).",
                "A table that already streams another view type is left alone: a table has one stream, and changing its view "
                        + "type means disabling it, which cuts off its current consumers."})
final class StreamsEnableCommand extends Verb {

    @Option(names = "--table", required = true, paramLabel = "T", description = "The master table.")
    String table;

    @Override
    protected Result execute(Environment env) throws InterruptedException {
        String region = env.region();
        DynamoDbClient client = env.dynamoDb(region);
        TableDescription description = Tables.require(client, table, region, "source");
        StreamSpecification stream = description.streamSpecification();
        if (Tables.hasReplicationStream(description)) {
            return Result.skipped("table '" + table + "' in " + region + " already streams NEW_AND_OLD_IMAGES: " + description.latestStreamArn(),
                    data(description));
        }
        if (stream != null && Boolean.TRUE.equals(stream.streamEnabled())) {
            throw CliException.badRequest("table '" + table + "' in " + region + " already has a stream with view type "
                    + stream.streamViewTypeAsString() + "; replication needs NEW_AND_OLD_IMAGES. A table has one stream and its view type "
                    + "cannot change: disable the stream yourself (its consumers stop) and run streams enable again");
        }
        client.updateTable(b -> b.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        TableDescription enabled = waitForStream(client);
        return Result.success("stream enabled on '" + table + "' in " + region + ": " + enabled.latestStreamArn(), data(enabled));
    }

    private TableDescription waitForStream(DynamoDbClient client) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            TableDescription now = client.describeTable(b -> b.tableName(table)).table();
            if (now.tableStatus() == TableStatus.ACTIVE && Tables.hasReplicationStream(now)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                throw CliException.failed("the stream of '" + table + "' is not active after 5 minutes; run streams status later");
            }
            Thread.sleep(500);
        }
    }

    static Map<String, Object> data(TableDescription description) {
        Map<String, Object> data = new LinkedHashMap<>();
        StreamSpecification stream = description.streamSpecification();
        data.put("table", description.tableName());
        data.put("enabled", stream != null && Boolean.TRUE.equals(stream.streamEnabled()));
        data.put("viewType", stream == null ? null : stream.streamViewTypeAsString());
        data.put("streamArn", description.latestStreamArn());
        data.put("suitable", Tables.hasReplicationStream(description));
        return data;
    }
}
