package dev.ddbreplicator.backup.bench;

import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Measures the heap an export needs as the table grows: starts DynamoDB Local and the S3 server (on a
 * directory) in a child process ({@link LocalStackServer}) so that this JVM holds only the export,
 * loads tables of increasing size, exports each, and samples this JVM's live heap (used after a full
 * GC) every second during the export. Run with a small heap to show a table several times the heap's
 * size goes through:
 *
 * <pre>
 * java -Xmx256m -XX:+UseSerialGC -cp ... dev.ddbreplicator.backup.bench.ExportHeapBenchmark 100000 400000
 * </pre>
 *
 */
public final class ExportHeapBenchmark {

    private static final String REGION = "us-east-1";

    private ExportHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[] {"100000", "400000"} : args) {
            sizes.add(Integer.parseInt(arg));
        }
        Path s3Dir = Files.createTempDirectory("export-heap-s3-");
        Process stack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), LocalStackServer.class.getName(), s3Dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String[] ready = readyLine(stack);
        try (AwsClients clients = new AwsClients(AwsSettings.local(Map.of(REGION, java.net.URI.create(ready[1])),
                Optional.of(java.net.URI.create(ready[2]))))) {
            clients.s3(REGION).createBucket(b -> b.bucket("heap-bench"));
            System.out.printf("max heap %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
            for (int size : sizes) {
                String table = "heap-" + size;
                TestTables.create(clients.dynamoDb(REGION), table, TableShape.HASH_ONLY);
                long loadStart = System.nanoTime();
                load(clients.dynamoDb(REGION), table, size);
                long tableBytes = clients.dynamoDb(REGION).describeTable(b -> b.tableName(table)).table().tableSizeBytes();
                System.out.printf("loaded %d items (%d MB) in %.0fs%n", size, tableBytes >> 20, (System.nanoTime() - loadStart) / 1e9);

                long before = liveHeap();
                AtomicLong peak = new AtomicLong(before);
                AtomicBoolean running = new AtomicBoolean(true);
                AfterGc afterGc = new AfterGc(peak);
                Thread sampler = new Thread(() -> {
                    while (running.get()) {
                        // A full collection each second; AfterGc records the heap each real one leaves (a request
                        // made while native code pins the heap, as the Deflater does, is skipped by the JVM).
                        System.gc();
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                long exportStart = System.nanoTime();
                BackupResult result = new BackupJob(clients, REGION, Clock.systemUTC())
                        .run(BackupRequest.builder(table, "heap-bench").segments(Math.max(16, size / 4000)).parallelism(4)
                                .encryption(dev.ddbreplicator.backup.Encryption.bucketDefault()).build());
                double seconds = (System.nanoTime() - exportStart) / 1e9;
                running.set(false);
                sampler.join();
                afterGc.close();
                System.out.printf("export of %d items (%d MB of table, %d MB of gzip in %d files) in %.0fs: live heap %d MB before,"
                                + " at most %d MB after any of %d full collections during the export%n", result.itemCount(), tableBytes >> 20, result.compressedBytes() >> 20,
                        result.dataFiles(), seconds, before >> 20, peak.get() >> 20, afterGc.count());
                clients.dynamoDb(REGION).deleteTable(b -> b.tableName(table));
            }
        } finally {
            stack.getOutputStream().close();
            stack.waitFor();
        }
    }

    private static String[] readyLine(Process stack) throws Exception {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(stack.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                return line.split(" ");
            }
        }
        throw new IllegalStateException("the local stack did not start");
    }

    /** Listens for the end of full collections and keeps the largest heap one left. */
    private static final class AfterGc implements javax.management.NotificationListener, AutoCloseable {
        private final AtomicLong peak;
        private final AtomicLong count = new AtomicLong();
        private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();

        AfterGc(AtomicLong peak) {
            this.peak = peak;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                    emitters.add(emitter);
                }
            }
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!notification.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) notification.getUserData());
            if (!info.getGcAction().contains("major")) {
                return;
            }
            long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
            peak.accumulateAndGet(used, Math::max);
            count.incrementAndGet();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws Exception {
            for (var emitter : emitters) {
                emitter.removeNotificationListener(this);
            }
        }
    }

    /** Heap in use after a full collection: what is really held. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** About 1 KB per item, mostly random text that compresses about 2:1. */
    private static void load(DynamoDbClient client, String table, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < count; start += 25) {
                int from = start;
                futures.add(pool.submit(() -> {
                    Random random = new Random(from);
                    List<WriteRequest> writes = new ArrayList<>();
                    for (int i = from; i < Math.min(count, from + 25); i++) {
                        Map<String, AttributeValue> item = new HashMap<>();
                        item.put("pk", AttributeValue.fromS("item-" + i));
                        StringBuilder text = new StringBuilder();
                        while (text.length() < 1000) {
                            text.append(Long.toString(random.nextLong(), 36));
                        }
                        item.put("text", AttributeValue.fromS(text.toString()));
                        item.put("n", AttributeValue.fromN(Integer.toString(i)));
                        writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                    }
                    Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
                    while (!pending.isEmpty()) {
                        var response = client.batchWriteItem(b -> b.requestItems(pending));
                        pending.clear();
                        if (response.hasUnprocessedItems()) {
                            pending.putAll(response.unprocessedItems());
                        }
                    }
                }));
                if (futures.size() >= 64) {
                    for (Future<?> f : futures) {
                        f.get();
                    }
                    futures.clear();
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

}
