package dev.ddbreplicator.backup.export;

import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.run.ProgressTracker;
import dev.ddbreplicator.backup.run.Workers;
import dev.ddbreplicator.core.retry.Retrier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scans one segment of the table page by page into data files, reading the next page while it writes
 * the current one. A throttled or failed page is retried from the same start key, never skipped: if
 * retries run out the whole export fails.
 */
final class SegmentExporter implements Callable<List<DataFileUpload.FinishedFile>> {

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final BackupRequest request;
    private final ExportLayout layout;
    private final int segment;
    private final int totalSegments;
    private final ReadThrottle throttle;
    private final Retrier scanRetrier;
    private final Retrier s3Retrier;
    private final Retrier.Listener retries;
    private final ProgressTracker progress;
    private final Random random;
    private final Workers.Stop stop;
    private final ExecutorService scans;

    /**
     * @param scans runs each segment's read of its next page while the current one is written
     */
    SegmentExporter(DynamoDbClient dynamoDb, S3Client s3, BackupRequest request, ExportLayout layout, int segment, int totalSegments,
                    ReadThrottle throttle, Retrier scanRetrier, Retrier s3Retrier, Retrier.Listener retries, ProgressTracker progress,
                    Random random, Workers.Stop stop, ExecutorService scans) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.request = request;
        this.layout = layout;
        this.segment = segment;
        this.totalSegments = totalSegments;
        this.throttle = throttle;
        this.scanRetrier = scanRetrier;
        this.s3Retrier = s3Retrier;
        this.retries = retries;
        this.progress = progress;
        this.random = random;
        this.stop = stop;
        this.scans = scans;
    }

    @Override
    public List<DataFileUpload.FinishedFile> call() throws Exception {
        List<DataFileUpload.FinishedFile> files = new ArrayList<>();
        DataFileUpload file = newFile();
        Future<ScanResponse> next = null;
        try {
            ScanResponse response = scan(null);
            while (true) {
                throttle.consumed(response);
                Map<String, AttributeValue> startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
                // The next page is read while this one is written: the Scan's round trip and the gzip overlap.
                next = startKey == null ? null : scans.submit(() -> scan(startKey));
                for (Map<String, AttributeValue> item : response.items()) {
                    file.write(item);
                    if (file.uncompressedBytes() >= request.maxFileBytes()) {
                        files.add(file.finish());
                        progress.fileDone();
                        file = newFile();
                    }
                }
                progress.items(response.items().size());
                if (next == null) {
                    break;
                }
                response = await(next);
                next = null;
            }
            files.add(file.finish());
            progress.fileDone();
            return files;
        } finally {
            if (next != null) {
                next.cancel(true);
            }
            file.close();
        }
    }

    /** One page from {@code startKey} (the first page when null), retried from the same key, never skipped. */
    private ScanResponse scan(Map<String, AttributeValue> startKey) throws Exception {
        stop.check();
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("export stopped");
        }
        ScanRequest.Builder scan = ScanRequest.builder()
                .tableName(request.table())
                .segment(segment)
                .totalSegments(totalSegments)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        throttle.pageLimit().ifPresent(scan::limit);
        if (startKey != null) {
            scan.exclusiveStartKey(startKey);
        }
        ScanRequest page = scan.build();
        return scanRetrier.call(() -> dynamoDb.scan(page), retries);
    }

    private static ScanResponse await(Future<ScanResponse> page) throws Exception {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private DataFileUpload newFile() {
        String key;
        synchronized (random) {
            key = layout.newDataFile(random);
        }
        return new DataFileUpload(s3, request.bucket(), key, request.encryption(), request.partSizeBytes(), s3Retrier, retries);
    }
}
