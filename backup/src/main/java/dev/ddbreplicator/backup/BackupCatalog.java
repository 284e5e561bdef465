package dev.ddbreplicator.backup;

import dev.ddbreplicator.backup.export.Exporter;
import dev.ddbreplicator.backup.format.ExportDirectories;
import dev.ddbreplicator.backup.format.ExportId;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.format.ManifestSummary;
import dev.ddbreplicator.backup.format.TableDefinition;
import dev.ddbreplicator.backup.run.Failures;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.retry.Retrier;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code backup list} and {@code backup prune}: the exports in a bucket (ours and native ones) and the
 * retention that deletes old ones. Finished exports are told by their summary manifest; a prune deletes
 * that manifest first, so an export half-deleted by a failed prune is never taken for a finished one.
 */
public final class BackupCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(BackupCatalog.class);
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final Clock clock;
    private final Retrier retrier;
    private final ExportDirectories directories;

    public BackupCatalog(AwsClients clients, String region, Clock clock) {
        this(clients.s3(region), clock);
    }

    public BackupCatalog(S3Client s3, Clock clock) {
        this.s3 = s3;
        this.clock = clock;
        this.retrier = new Retrier(Exporter.S3);
        this.directories = new ExportDirectories(s3, retrier);
    }

    /**
     * The exports under the prefix, by table, newest first.
     *
     * @throws BackupUsageException the bucket does not exist
     * @throws BackupFailedException S3 kept failing
     */
    public List<BackupEntry> list(ListRequest request) {
        try {
            List<BackupEntry> entries = new ArrayList<>();
            for (ExportLayout layout : directories.list(request.bucket(), request.prefix())) {
                BackupEntry entry = entry(request.bucket(), layout);
                if (request.table().isEmpty() || request.table().equals(entry.tableName())) {
                    entries.add(entry);
                }
            }
            entries.sort(Comparator.comparing((BackupEntry e) -> e.tableName().orElse("")).thenComparing(BackupEntry::startTime,
                    Comparator.reverseOrder()));
            return entries;
        } catch (NoSuchBucketException e) {
            throw new BackupUsageException("--bucket", "bucket " + request.bucket() + " does not exist");
        } catch (BackupUsageException | BackupFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackupFailedException("listing s3://" + request.bucket() + "/" + request.prefix() + " failed: " + Failures.describe(e), e);
        }
    }

    /**
     * Applies the retention to each table's finished exports, and deletes incomplete exports older than
     * {@link PruneRequest#incompleteAfter()}. The newest finished export of a table is always kept.
     *
     * @throws BackupUsageException the bucket does not exist
     * @throws BackupFailedException S3 kept failing; exports deleted so far stay deleted, run it again
     */
    public PruneResult prune(PruneRequest request) {
        List<BackupEntry> entries = list(new ListRequest(request.bucket(), request.prefix(), request.table()));
        Instant now = clock.instant();
        Map<String, List<BackupEntry>> byTable = entries.stream()
                .filter(e -> e.status() == BackupEntry.Status.COMPLETE)
                .collect(Collectors.groupingBy(e -> e.tableArn().or(e::tableName).orElse(""), LinkedHashMap::new, Collectors.toList()));
        List<BackupEntry> delete = new ArrayList<>();
        for (List<BackupEntry> exports : byTable.values()) {
            exports.sort(Comparator.comparing(BackupEntry::startTime).reversed());
            for (int i = 1; i < exports.size(); i++) {
                BackupEntry export = exports.get(i);
                if (request.retention().deletes(i, export.startTime(), now)) {
                    delete.add(export);
                }
            }
        }
        entries.stream()
                .filter(e -> e.status() == BackupEntry.Status.INCOMPLETE)
                .filter(e -> e.startTime().isBefore(now.minus(request.incompleteAfter())))
                .forEach(delete::add);
        Set<String> deleting = delete.stream().map(BackupEntry::directory).collect(Collectors.toSet());
        List<BackupEntry> kept = entries.stream().filter(e -> !deleting.contains(e.directory())).toList();
        if (request.dryRun()) {
            return new PruneResult(delete, kept, 0, true);
        }
        long objects = 0;
        for (BackupEntry export : delete) {
            try {
                objects += deleteExport(request.bucket(), export.directory());
                LOG.info("deleted export {} of {} ({})", export.exportId(), export.tableName().orElse("?"), export.status());
            } catch (Exception e) {
                throw new BackupFailedException("deleting export " + export.exportId() + " at s3://" + request.bucket() + "/"
                        + export.directory() + " failed: " + Failures.describe(e) + "; run the prune again", e);
            }
        }
        return new PruneResult(delete, kept, objects, false);
    }

    private BackupEntry entry(String bucket, ExportLayout layout) {
        Instant idTime = ExportId.startOf(layout.exportId());
        Optional<byte[]> summaryBytes = get(bucket, layout.manifestSummary());
        if (summaryBytes.isPresent()) {
            try {
                ManifestSummary summary = ManifestSummary.parse(summaryBytes.get());
                return new BackupEntry(layout.exportId(), BackupEntry.Status.COMPLETE, summary.tableName(),
                        Optional.of(summary.tableArn()).filter(a -> !a.isEmpty()), bucket, layout.directory(),
                        summary.startTime().equals(Instant.EPOCH) ? idTime : summary.startTime(), Optional.of(summary.endTime()),
                        OptionalLong.of(summary.itemCount()), summary.billedSizeBytes());
            } catch (IOException e) {
                return new BackupEntry(layout.exportId(), BackupEntry.Status.UNREADABLE, Optional.empty(), Optional.empty(), bucket,
                        layout.directory(), idTime, Optional.empty(), OptionalLong.empty(), 0);
            }
        }
        Optional<String> table = Optional.empty();
        Optional<String> arn = Optional.empty();
        Optional<byte[]> description = get(bucket, layout.tableDescription());
        if (description.isPresent()) {
            try {
                TableDefinition definition = TableDefinition.parse(description.get());
                table = Optional.of(definition.tableName());
                arn = Optional.of(definition.tableArn()).filter(a -> !a.isEmpty());
            } catch (IOException e) {
                // an incomplete export with a damaged description: listed without its table
            }
        }
        return new BackupEntry(layout.exportId(), BackupEntry.Status.INCOMPLETE, table, arn, bucket, layout.directory(), idTime,
                Optional.empty(), OptionalLong.empty(), 0);
    }

    private long deleteExport(String bucket, String directory) throws Exception {
        // The summary goes first: from then on the export is incomplete, never mistaken for a finished one.
        retrier.call(() -> s3.deleteObject(b -> b.bucket(bucket).key(directory + ExportLayout.SUMMARY)));
        long deleted = 1;
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory)).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == DELETE_BATCH) {
                deleted += deleteBatch(bucket, batch);
                batch = new ArrayList<>();
            }
        }
        deleted += deleteBatch(bucket, batch);
        return deleted;
    }

    private long deleteBatch(String bucket, List<ObjectIdentifier> keys) throws Exception {
        if (keys.isEmpty()) {
            return 0;
        }
        List<ObjectIdentifier> copy = List.copyOf(keys);
        var response = retrier.call(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(copy).quiet(true))));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new IllegalStateException(response.errors().size() + " objects were not deleted, e.g. " + response.errors().get(0).key()
                    + ": " + response.errors().get(0).message());
        }
        return keys.size();
    }

    private Optional<byte[]> get(String bucket, String key) {
        try {
            return Optional.of(dev.ddbreplicator.backup.run.Calls.firstThenRetry(
                    () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), retrier, Retrier.Listener.NONE,
                    software.amazon.awssdk.services.s3.model.NoSuchKeyException.class));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
