package dev.ddbreplicator.backup;

import dev.ddbreplicator.backup.export.Exporter;
import dev.ddbreplicator.backup.restore.Restorer;
import dev.ddbreplicator.backup.restore.TableWriter;
import dev.ddbreplicator.backup.run.Failures;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code restore}: writes an export (ours, or a native full export in DYNAMODB_JSON) into a new table or,
 * with {@code --into-existing}, an existing one. Checksums are verified before anything is written; a
 * restore that dies resumes from its checkpoint when run again with the same options.
 */
public final class RestoreJob {

    private final Restorer restorer;

    /** Uses the region for DynamoDB and S3. */
    public RestoreJob(AwsClients clients, String region, Clock clock) {
        this(clients.dynamoDb(region), clients.s3(region), region, clock);
    }

    public RestoreJob(DynamoDbClient dynamoDb, S3Client s3, String region, Clock clock) {
        this.restorer = new Restorer(dynamoDb, s3, region, clock, new Retrier(Exporter.S3), new Retrier(RetryPolicy.CONTROL),
                new Retrier(TableWriter.WRITES));
    }

    public RestoreResult run(RestoreRequest request) {
        return run(request, ProgressListener.NONE);
    }

    /**
     * Runs the restore to the end.
     *
     * @throws BackupUsageException no such export, the target table exists (without {@code --into-existing}) or does not (with
     *                              it), a key option is missing or does not fit: nothing was written; fix the command
     * @throws CorruptExportException a manifest or data file is missing, malformed or fails its checksum: nothing was written;
     *                                restore another export
     * @throws BackupFailedException AWS kept failing or the thread was interrupted; the checkpoint is kept: run the same
     *                               command again to resume without writing any item twice
     */
    public RestoreResult run(RestoreRequest request, ProgressListener listener) {
        try {
            return restorer.run(request, listener);
        } catch (BackupUsageException | BackupFailedException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("restore of " + request.exportId() + " into " + request.targetTable()
                    + " was interrupted; run it again to resume", e);
        } catch (Throwable e) {
            throw new BackupFailedException("restore of " + request.exportId() + " into " + request.targetTable() + " failed: "
                    + Failures.describe(e) + "; run it again to resume", e);
        }
    }
}
