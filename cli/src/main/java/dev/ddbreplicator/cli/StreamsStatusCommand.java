package dev.ddbreplicator.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code streams status --table T}: whether the table streams what replication needs. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the table's stream; exit 0 if it streams NEW_AND_OLD_IMAGES, 1 if not (with what to do).")
final class StreamsStatusCommand extends Verb {

    @Option(names = "--table", required = true, paramLabel = "T", description = "The table.")
    String table;

    @Override
    protected Result execute(Environment env) {
        String region = env.region();
        TableDescription description = Tables.require(env.dynamoDb(region), table, region, "the");
        Map<String, Object> data = StreamsEnableCommand.data(description);
        StreamSpecification stream = description.streamSpecification();
        if (Tables.hasReplicationStream(description)) {
            return Result.success("table '" + table + "' in " + region + " streams NEW_AND_OLD_IMAGES: " + description.latestStreamArn(), data);
        }
        if (stream != null && Boolean.TRUE.equals(stream.streamEnabled())) {
            return Result.failed("table '" + table + "' in " + region + " streams " + stream.streamViewTypeAsString()
                    + ", not NEW_AND_OLD_IMAGES: replication cannot use it (see 'streams enable --help')", data, "");
        }
        return Result.failed("table '" + table + "' in " + region + " has no stream; run 'ddb-replicator streams enable --table " + table + "'",
                data, "");
    }
}
