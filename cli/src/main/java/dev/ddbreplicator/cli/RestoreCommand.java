package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.KeyAttribute;
import dev.ddbreplicator.backup.Rate;
import dev.ddbreplicator.backup.RestoreJob;
import dev.ddbreplicator.backup.RestoreRequest;
import dev.ddbreplicator.backup.RestoreResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code restore --bucket B --export ID --target-table T}: a backup back into a table. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup (ours, or a native DynamoDB full export in DYNAMODB_JSON) from S3 into a new table in --region, "
                + "or with --into-existing into an existing one.",
                "Checksums are verified before anything is written. A restore that stops resumes from its checkpoint when run again "
                        + "with the same options, without writing any item twice."})
final class RestoreCommand extends Verb {

    @Option(names = "--bucket", required = true, paramLabel = "B") String bucket;
    @Option(names = "--export", required = true, paramLabel = "ID", description = "The export ID, e.g. 01700000000000-1a2b3c4d.")
    String exportId;
    @Option(names = "--target-table", required = true, paramLabel = "T") String targetTable;
    @Option(names = "--prefix", paramLabel = "P", description = "Where to look for the export (default: the whole bucket).")
    String prefix;
    @Option(names = "--into-existing", description = "Write into an existing table instead of creating it.")
    boolean intoExisting;
    @Option(names = "--rate", paramLabel = "ITEMS_PER_S", description = "Write at most this many items a second.")
    String rate;
    @Option(names = "--strip-attribute", paramLabel = "A", description = "Remove this attribute from every item, e.g. _rv (repeatable).")
    List<String> strip = new ArrayList<>();
    @Option(names = "--partition-key", paramLabel = "NAME:TYPE",
            description = "Partition key of the new table, for a native export (it carries no table description), e.g. pk:S.")
    String partitionKey;
    @Option(names = "--sort-key", paramLabel = "NAME:TYPE", description = "Sort key of the new table, for a native export, e.g. sk:N.")
    String sortKey;
    @Option(names = "--parallelism", paramLabel = "N", description = "Files written at once (default: "
            + RestoreRequest.DEFAULT_PARALLELISM + ").")
    Integer parallelism;
    @Mixin BucketOwnerOption owner = new BucketOwnerOption();

    @Override
    @SuppressWarnings("try") // the progress line only has to stop when the work does
    protected Result execute(Environment env) {
        String region = env.region();
        RestoreRequest.Builder request = RestoreRequest.builder(bucket, exportId, targetTable).intoExisting(intoExisting);
        if (prefix != null) {
            request.prefix(prefix);
        }
        if (rate != null) {
            request.rate(Rate.parse(rate));
        }
        strip.forEach(request::stripAttribute);
        if (partitionKey != null) {
            request.partitionKey(KeyAttribute.parse("--partition-key", partitionKey));
        }
        if (sortKey != null) {
            request.sortKey(KeyAttribute.parse("--sort-key", sortKey));
        }
        if (parallelism != null) {
            request.parallelism(parallelism);
        }
        RestoreRequest built = request.build();
        BackupProgress progress = new BackupProgress("restore: reading the manifests");
        RestoreResult result;
        try (Progress line = Progress.start(env.output(), progress::line)) {
            result = new RestoreJob(env.dynamoDb(region), owner.s3(env, region), region, env.clock()).run(built, progress);
        } catch (BackupFailedException e) {
            throw CliException.failed(e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("targetTable", result.targetTable());
        data.put("exportId", result.exportId());
        data.put("itemsWritten", result.itemsWritten());
        data.put("itemsAlreadyPresent", result.itemsAlreadyPresent());
        data.put("itemsFromEarlierRuns", result.itemsFromEarlierRuns());
        data.put("tableCreated", result.tableCreated());
        data.put("resumed", result.resumed());
        data.put("seconds", result.duration().toMillis() / 1000.0);
        return Result.success(result.describe(), data);
    }
}
