package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.Rate;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backup run --table T --bucket B}: one backup of a table to S3, in DynamoDB's native export layout. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Back up a table (in --region) to S3 in DynamoDB's native export layout (manifests, gzipped DynamoDB JSON data "
                + "files with checksums), plus the table's description so that a restore can recreate it.",
                "Reads with parallel Scan segments and an optional rate limit; memory stays flat whatever the table size."})
final class BackupRunCommand extends Verb {

    @Option(names = "--table", required = true, paramLabel = "T") String table;
    @Option(names = "--bucket", required = true, paramLabel = "B") String bucket;
    @Option(names = "--prefix", paramLabel = "P", description = "Key prefix (default: " + BackupRequest.DEFAULT_PREFIX + ").")
    String prefix;
    @Option(names = "--segments", paramLabel = "N", description = "Parallel Scan segments (default: chosen from the table's size).")
    Integer segments;
    @Option(names = "--rate", paramLabel = "R", description = "Read limit: items per second (e.g. 500) or a share of read capacity (e.g. 25%).")
    String rate;
    @Option(names = "--parallelism", paramLabel = "N", description = "Segments scanned at once (default: "
            + BackupRequest.DEFAULT_PARALLELISM + ").")
    Integer parallelism;
    @Option(names = "--kms-key", paramLabel = "KEY", description = "Encrypt the backup with this KMS key (SSE-KMS) instead of SSE-S3.")
    String kmsKey;
    @Option(names = "--bucket-encryption", description = "Send no encryption headers: rely on the bucket's default encryption.")
    boolean bucketEncryption;
    @Mixin BucketOwnerOption owner = new BucketOwnerOption();

    @Override
    @SuppressWarnings("try") // the progress line only has to stop when the work does
    protected Result execute(Environment env) {
        String region = env.region();
        BackupRequest.Builder request = BackupRequest.builder(table, bucket);
        if (prefix != null) {
            request.prefix(prefix);
        }
        if (segments != null) {
            request.segments(segments);
        }
        if (rate != null) {
            request.rate(Rate.parse(rate));
        }
        if (parallelism != null) {
            request.parallelism(parallelism);
        }
        if (kmsKey != null && bucketEncryption) {
            throw CliException.badRequest("--kms-key and --bucket-encryption exclude each other");
        }
        if (kmsKey != null) {
            request.encryption(Encryption.kms(kmsKey));
        } else if (bucketEncryption) {
            request.encryption(Encryption.bucketDefault());
        }
        BackupRequest built = request.build();
        BackupProgress progress = new BackupProgress("backup: starting");
        BackupResult result;
        try (Progress line = Progress.start(env.output(), progress::line)) {
            result = new BackupJob(env.dynamoDb(region), owner.s3(env, region), region, env.clock()).run(built, progress);
        } catch (BackupFailedException e) {
            throw CliException.failed(e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("table", result.table());
        data.put("exportId", result.exportId());
        data.put("exportArn", result.exportArn());
        data.put("bucket", result.bucket());
        data.put("directory", result.directory());
        data.put("items", result.itemCount());
        data.put("dataFiles", result.dataFiles());
        data.put("compressedBytes", result.compressedBytes());
        data.put("seconds", result.duration().toMillis() / 1000.0);
        return Result.success(result.describe() + "; restore it with 'restore --bucket " + bucket + " --export " + result.exportId()
                + " --target-table <new table>'", data);
    }
}
