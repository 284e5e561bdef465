package dev.ddbreplicator.backup;

import dev.ddbreplicator.backup.export.Exporter;
import dev.ddbreplicator.backup.run.Failures;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.retry.Retrier;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code backup run}: exports one table to S3 in DynamoDB's native export layout, plus our
 * {@code table-description.json}. The same job runs from the command and from the scheduled Lambda.
 */
public final class BackupJob {

    private final Exporter exporter;

    /** Uses the table's region for DynamoDB and S3. */
    public BackupJob(AwsClients clients, String region, Clock clock) {
        this(clients.dynamoDb(region), clients.s3(region), region, clock);
    }

    public BackupJob(DynamoDbClient dynamoDb, S3Client s3, String region, Clock clock) {
        this.exporter = new Exporter(dynamoDb, s3, region, clock, new Retrier(Exporter.SCAN), new Retrier(Exporter.S3));
    }

    public BackupResult run(BackupRequest request) {
        return run(request, ProgressListener.NONE);
    }

    /**
     * Runs the backup to the end.
     *
     * @throws BackupUsageException the table or bucket does not exist, or the rate does not suit the table: fix the command
     * @throws BackupFailedException AWS kept failing or the thread was interrupted; the run wrote no manifest, so it does not
     *                               count as a backup: run it again (its partial files go with the next {@code backup prune})
     */
    public BackupResult run(BackupRequest request, ProgressListener listener) {
        try {
            return exporter.run(request, listener);
        } catch (BackupUsageException | BackupFailedException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("backup of " + request.table() + " was interrupted; it wrote no manifest and does not count", e);
        } catch (Throwable e) {
            throw new BackupFailedException("backup of " + request.table() + " failed: " + Failures.describe(e)
                    + "; it wrote no manifest and does not count as a backup", e);
        }
    }
}
