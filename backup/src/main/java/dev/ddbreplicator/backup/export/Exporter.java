package dev.ddbreplicator.backup.export;

import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.BackupUsageException;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.ProgressListener;
import dev.ddbreplicator.backup.Rate;
import dev.ddbreplicator.backup.format.Checksums;
import dev.ddbreplicator.backup.format.ExportId;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.backup.format.ManifestSummary;
import dev.ddbreplicator.backup.format.TableDefinition;
import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.backup.run.ProgressTracker;
import dev.ddbreplicator.backup.run.Workers;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Writes one export of a table in the native layout: {@code _started} and our table description first,
 * then the data files from a parallel Scan, and the manifests last, {@code manifest-summary.json} the
 * very last object. A run that dies before that leaves no summary, so it is never taken for a backup.
 */
public final class Exporter {

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    /** Scan pages: throttling can last; a page is retried for about a minute before the export gives up. */
    public static final RetryPolicy SCAN = new RetryPolicy(12, Duration.ofMillis(100), Duration.ofSeconds(10));
    /** S3 calls. */
    public static final RetryPolicy S3 = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5));

    private static final long SEGMENT_BYTES = 256L << 20;
    private static final int MAX_DEFAULT_SEGMENTS = 1000;

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final String region;
    private final Clock clock;
    private final Retrier scanRetrier;
    private final Retrier s3Retrier;
    private final Random random = new SecureRandom();

    public Exporter(DynamoDbClient dynamoDb, S3Client s3, String region, Clock clock, Retrier scanRetrier, Retrier s3Retrier) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.region = region;
        this.clock = clock;
        this.scanRetrier = scanRetrier;
        this.s3Retrier = s3Retrier;
    }

    /** Segments for a table of that size when none are asked for: one per 256 MiB, at least 4, at most 1000. */
    public static int defaultSegments(long tableSizeBytes) {
        long bySize = (tableSizeBytes + SEGMENT_BYTES - 1) / SEGMENT_BYTES;
        return (int) Math.max(4, Math.min(MAX_DEFAULT_SEGMENTS, bySize));
    }

    /**
     * Exports the table.
     *
     * @throws BackupUsageException when the table or bucket does not exist, or the rate does not fit the table
     * @throws Exception any AWS or I/O failure that retries did not overcome; the export then has no manifest
     */
    public BackupResult run(BackupRequest request, ProgressListener listener) throws Throwable {
        Instant start = clock.instant();
        AtomicLong retries = new AtomicLong();
        Retrier.Listener countRetries = (attempt, error) -> {
            retries.incrementAndGet();
            LOG.debug("retrying after {}", error.toString());
        };
        TableDescription table = describe(request.table());
        Optional<String> ttl = timeToLive(request.table());
        TableDefinition definition = TableDefinition.from(table, ttl);

        int segments = request.segments().orElse(defaultSegments(definition.tableSizeBytes()));
        int threads = Math.min(segments, request.parallelism());
        ReadThrottle throttle = throttle(request, table, threads);

        ExportLayout layout = new ExportLayout(request.prefix(), ExportId.create(start, random));
        PutObjectResponse started = put(request, layout.started(), new byte[0], "application/octet-stream", countRetries);
        // The manifest names the encryption S3 applied (for the bucket default, as S3 reports it).
        String sseAlgorithm = switch (request.encryption().mode()) {
            case SSE_S3 -> "AES256";
            case SSE_KMS -> "KMS";
            case BUCKET_DEFAULT -> started.serverSideEncryption() == null ? null
                    : started.serverSideEncryption() == ServerSideEncryption.AES256 ? "AES256" : "KMS";
        };
        String sseKey = request.encryption().mode() == Encryption.Mode.BUCKET_DEFAULT ? started.ssekmsKeyId()
                : request.encryption().kmsKeyId().orElse(null);
        put(request, layout.tableDescription(), definition.toJson(), "application/json", countRetries);
        LOG.info("export {} of {} to s3://{}/{} with {} segments on {} threads", layout.exportId(), request.table(), request.bucket(),
                layout.directory(), segments, threads);

        ProgressTracker progress = new ProgressTracker("export",
                definition.itemCount() > 0 ? OptionalLong.of(definition.itemCount()) : OptionalLong.empty(), 0, listener, clock,
                Duration.ofSeconds(1));
        List<Callable<List<DataFileUpload.FinishedFile>>> tasks = new ArrayList<>();
        Workers.Stop stop = new Workers.Stop();
        ExecutorService scans = Executors.newFixedThreadPool(threads, Workers.daemonThreads("export-scan-" + request.table()));
        List<DataFileUpload.FinishedFile> files;
        try {
            for (int segment = 0; segment < segments; segment++) {
                tasks.add(new SegmentExporter(dynamoDb, s3, request, layout, segment, segments, throttle, scanRetrier, s3Retrier,
                        countRetries, progress, random, stop, scans));
            }
            files = Workers.runAll("export-" + request.table(), threads, tasks, stop).stream()
                    .flatMap(List::stream)
                    .toList();
        } finally {
            scans.shutdownNow();
        }
        progress.finish();

        List<ManifestFileEntry> entries = files.stream().map(DataFileUpload.FinishedFile::entry).toList();
        long items = entries.stream().mapToLong(ManifestFileEntry::itemCount).sum();
        long compressed = files.stream().mapToLong(DataFileUpload.FinishedFile::compressedBytes).sum();
        long uncompressed = files.stream().mapToLong(DataFileUpload.FinishedFile::uncompressedBytes).sum();

        byte[] filesManifest = ManifestFileEntry.toJsonLines(entries);
        put(request, layout.manifestFiles(), filesManifest, "application/json", countRetries);
        put(request, layout.manifestFilesMd5(), Checksums.md5File(filesManifest), "text/plain", countRetries);
        Instant end = clock.instant();
        ManifestSummary summary = new ManifestSummary(ManifestSummary.VERSION, table.tableArn() + "/export/" + layout.exportId(), start, end,
                table.tableArn(), tableId(table), start, request.bucket(), layout.manifestPrefix(), sseAlgorithm, sseKey, layout.manifestFiles(), uncompressed, items, ManifestSummary.DYNAMODB_JSON,
                Optional.empty());
        byte[] summaryJson = summary.toJson();
        // The summary's checksum goes first and the summary itself last: its presence marks a finished export.
        put(request, layout.manifestSummaryMd5(), Checksums.md5File(summaryJson), "text/plain", countRetries);
        put(request, layout.manifestSummary(), summaryJson, "application/json", countRetries);
        return new BackupResult(request.table(), layout.exportId(), summary.exportArn(), request.bucket(), layout.directory(), items,
                entries.size(), compressed, uncompressed, segments, retries.get(), start, end);
    }

    private TableDescription describe(String name) throws Exception {
        try {
            return Calls.firstThenRetry(() -> dynamoDb.describeTable(b -> b.tableName(name)).table(), scanRetrier, Retrier.Listener.NONE,
                    ResourceNotFoundException.class);
        } catch (ResourceNotFoundException e) {
            throw new BackupUsageException("--table", "table " + name + " does not exist in " + region);
        }
    }

    private Optional<String> timeToLive(String name) throws Exception {
        TimeToLiveDescription ttl = scanRetrier.call(() -> dynamoDb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription());
        if (ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING)) {
            return Optional.ofNullable(ttl.attributeName());
        }
        return Optional.empty();
    }

    private ReadThrottle throttle(BackupRequest request, TableDescription table, int threads) {
        if (request.rate().isEmpty()) {
            return ReadThrottle.NONE;
        }
        Rate rate = request.rate().get();
        if (rate.kind() == Rate.Kind.ITEMS_PER_SECOND) {
            return ReadThrottle.itemsPerSecond(rate.value(), threads);
        }
        boolean onDemand = table.billingModeSummary() != null && table.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
        if (onDemand || table.provisionedThroughput() == null || table.provisionedThroughput().readCapacityUnits() == 0) {
            throw BackupUsageException.of("--rate", "as a share of capacity needs a table with provisioned capacity; "
                    + request.table() + " is on demand, give items per second instead (e.g. --rate 1000)");
        }
        long items = table.itemCount() == null ? 0 : table.itemCount();
        long bytesPerItem = items == 0 ? 1024 : table.tableSizeBytes() / items;
        return ReadThrottle.capacityShare(rate.value(), () -> describeRcu(request.table()), bytesPerItem, threads, clock);
    }

    private long describeRcu(String name) {
        return dynamoDb.describeTable(b -> b.tableName(name)).table().provisionedThroughput().readCapacityUnits();
    }

    private PutObjectResponse put(BackupRequest request, String key, byte[] bytes, String contentType, Retrier.Listener retries)
            throws Exception {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(request.bucket()).key(key).contentType(contentType);
        sse(put, request.encryption());
        PutObjectRequest built = put.build();
        try {
            return Calls.firstThenRetry(() -> s3.putObject(built, RequestBody.fromBytes(bytes)), s3Retrier, retries, NoSuchBucketException.class);
        } catch (NoSuchBucketException e) {
            throw new BackupUsageException("--bucket", "bucket " + request.bucket() + " does not exist");
        }
    }

    static void sse(PutObjectRequest.Builder put, Encryption encryption) {
        switch (encryption.mode()) {
            case SSE_S3 -> put.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(encryption.kmsKeyId().orElseThrow());
            case BUCKET_DEFAULT -> {
                // no header: the bucket's default encryption applies
            }
        }
    }

    private static String tableId(TableDescription table) {
        return table.tableId() != null ? table.tableId() : UUID.nameUUIDFromBytes(table.tableArn().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
