package dev.ddbreplicator.bench.backup;

import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.backup.RestoreJob;
import dev.ddbreplicator.backup.RestoreRequest;
import dev.ddbreplicator.backup.RestoreResult;
import dev.ddbreplicator.bench.Items;
import dev.ddbreplicator.bench.PlainWrites;
import dev.ddbreplicator.bench.Stats;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Backup against a plain parallel Scan with the same segments (one thread each), and restore
 * against plain BatchWriteItem with the same number of threads, on one table of ~1 KB items, for
 * 1, 2 and 4 segments or threads.
 */
public final class BackupBench {

    public static final String BUCKET = "bench-backups";
    private static final String TABLE = "bk-source";

    /**
     * @param items items in the table
     * @param runs measured runs per setting
     * @param widths the segment and thread counts to measure
     */
    public record Settings(int items, int runs, List<Integer> widths) {
    }

    /** Medians of one width: items per second of each, and the backup's gzip megabytes per second. */
    public record Width(int width, double scan, double backup, double backupMbPerSecond, double plainBatchWrite, double restore,
                        List<Double> backupRatios, List<Double> restoreRatios) {
        public double backupRatio() {
            return Stats.median(backupRatios);
        }

        public double restoreRatio() {
            return Stats.median(restoreRatios);
        }
    }

    private final Stack stack;
    private final Settings settings;
    private final Consumer<String> log;
    private int tables;

    public BackupBench(Stack stack, Settings settings, Consumer<String> log) {
        this.stack = stack;
        this.settings = settings;
        this.log = log;
    }

    public List<Width> measure() throws Exception {
        DynamoDbClient source = stack.sourceClient();
        ensureBucket(stack);
        TestTables.create(source, TABLE, TableShape.HASH_ONLY);
        Random random = new Random(3);
        List<Map<String, AttributeValue>> items = new ArrayList<>(settings.items());
        for (int i = 0; i < settings.items(); i++) {
            items.add(Items.text("item-" + i, 1000, random));
        }
        double loadRate = PlainWrites.batchWrite(source, TABLE, items, 8);
        log.accept(String.format("backup: loaded %d items of ~1 KB at %.0f items/s", items.size(), loadRate));
        // Warm-up of both sides, not measured.
        scan(source, 2);
        backup(2);

        Map<Integer, Width> results = new TreeMap<>();
        for (int width : settings.widths()) {
            List<Double> scans = new ArrayList<>();
            List<Double> backups = new ArrayList<>();
            List<Double> mbs = new ArrayList<>();
            List<Double> plains = new ArrayList<>();
            List<Double> restores = new ArrayList<>();
            List<Double> backupRatios = new ArrayList<>();
            List<Double> restoreRatios = new ArrayList<>();
            String exportId = null;
            for (int run = 1; run <= settings.runs(); run++) {
                double scanBefore = scan(source, width);
                BackupResult backup = backup(width);
                double scanAfter = scan(source, width);
                double backupRate = backup.itemCount() / seconds(backup);
                double scanRate = (scanBefore + scanAfter) / 2;
                scans.add(scanRate);
                backups.add(backupRate);
                mbs.add(backup.compressedBytes() / 1e6 / seconds(backup));
                backupRatios.add(backupRate / scanRate);
                exportId = backup.exportId();

                double plainBefore = plainWrite(items, width);
                RestoreResult restore = restore(exportId, width);
                source.deleteTable(b -> b.tableName(restore.targetTable()));
                double plainAfter = plainWrite(items, width);
                double restoreRate = restore.itemsWritten() / (restore.duration().toNanos() / 1e9);
                double plainRate = (plainBefore + plainAfter) / 2;
                plains.add(plainRate);
                restores.add(restoreRate);
                restoreRatios.add(restoreRate / plainRate);
                log.accept(String.format("backup width %d run %d: scan %.0f/%.0f items/s, backup %.0f items/s (%.1f MB/s gzip, %d files)"
                                + " ratio %.2f; BatchWriteItem %.0f/%.0f items/s, restore %.0f items/s, ratio %.2f", width, run, scanBefore,
                        scanAfter, backupRate, backup.compressedBytes() / 1e6 / seconds(backup), backup.dataFiles(), backupRate / scanRate,
                        plainBefore, plainAfter, restoreRate, restoreRate / plainRate));
            }
            results.put(width, new Width(width, Stats.median(scans), Stats.median(backups), Stats.median(mbs), Stats.median(plains),
                    Stats.median(restores), backupRatios, restoreRatios));
        }
        return new ArrayList<>(results.values());
    }

    /** Creates the backups' bucket unless it is there. */
    static void ensureBucket(Stack stack) {
        if (stack.s3Client().listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
            stack.s3Client().createBucket(b -> b.bucket(BUCKET));
        }
    }

    private BackupResult backup(int width) {
        return new BackupJob(stack.clients(), StackServer.SOURCE_REGION, Clock.systemUTC())
                .run(BackupRequest.builder(TABLE, BUCKET).segments(width).parallelism(width).encryption(Encryption.bucketDefault()).build());
    }

    private RestoreResult restore(String exportId, int width) {
        return new RestoreJob(stack.clients(), StackServer.SOURCE_REGION, Clock.systemUTC())
                .run(RestoreRequest.builder(BUCKET, exportId, newTable()).parallelism(width).build());
    }

    /** Plain BatchWriteItem of the items into a new table (dropped after); a restore creates its own. */
    private double plainWrite(List<Map<String, AttributeValue>> items, int threads) {
        String name = newTable();
        TestTables.create(stack.sourceClient(), name, TableShape.HASH_ONLY);
        double rate = PlainWrites.batchWrite(stack.sourceClient(), name, items, threads);
        stack.sourceClient().deleteTable(b -> b.tableName(name));
        return rate;
    }

    private String newTable() {
        return "bk-target-" + (++tables);
    }

    /** A plain parallel Scan of the whole table, one thread per segment; returns items per second. */
    static double scan(DynamoDbClient client, int segments) {
        AtomicLong items = new AtomicLong();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long nanos = PlainWrites.run(segments, () -> {
            int segment = next.getAndIncrement();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client.scan(b -> b.tableName(TABLE).segment(segment).totalSegments(segments).exclusiveStartKey(from));
                items.addAndGet(page.items().size());
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        });
        return items.get() / (nanos / 1e9);
    }

    private static double seconds(BackupResult result) {
        return result.duration().toNanos() / 1e9;
    }
}
