package dev.ddbreplicator.bench.backup;

import dev.ddbreplicator.bench.ChildJvm;
import dev.ddbreplicator.bench.Items;
import dev.ddbreplicator.bench.PlainWrites;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Peak RSS of a backup in a JVM of its own ({@link BackupMemoryProbe}), for tables of several sizes. */
public final class BackupMemoryBench {

    private static final int ITEM_BYTES = 8000;

    /** One table: its size, and what the backup of it took. */
    public record Size(long tableMb, long items, long gzipBytes, double seconds, double peakRssMb, int segments) {
    }

    private final Stack stack;
    private final Consumer<String> log;

    public BackupMemoryBench(Stack stack, Consumer<String> log) {
        this.stack = stack;
        this.log = log;
    }

    public List<Size> measure(List<Integer> sizesMb, List<String> jvmFlags, Path logDir) throws Exception {
        BackupBench.ensureBucket(stack);
        List<Size> sizes = new ArrayList<>();
        for (int mb : sizesMb) {
            String table = "mem-" + mb;
            TestTables.create(stack.sourceClient(), table, TableShape.HASH_ONLY);
            int items = (int) ((long) mb * 1_000_000 / ITEM_BYTES);
            long start = System.nanoTime();
            load(table, items);
            long bytes = stack.sourceClient().describeTable(b -> b.tableName(table)).table().tableSizeBytes();
            log.accept(String.format("memory: loaded %d items (%d MB) in %.0f s", items, bytes >> 20, (System.nanoTime() - start) / 1e9));
            try (ChildJvm probe = ChildJvm.start(jvmFlags, List.of("-cp", ChildJvm.classPath(), BackupMemoryProbe.class.getName(),
                    StackServer.SOURCE_REGION, stack.sourceEndpoint().toString(), stack.s3Endpoint().toString(), table, BackupBench.BUCKET),
                    logDir.resolve("backup-memory-" + mb + ".log"))) {
                String[] result = probe.awaitLine("RESULT ", Duration.ofMinutes(20)).split(" ");
                Size size = new Size(bytes >> 20, Long.parseLong(result[1]), Long.parseLong(result[2]), Double.parseDouble(result[3]),
                        Long.parseLong(result[4]) / 1024.0, Integer.parseInt(result[5]));
                log.accept(String.format("memory: backup of %d MB: %d items in %.0f s, %d segments, peak RSS %.0f MB", size.tableMb(),
                        size.items(), size.seconds(), size.segments(), size.peakRssMb()));
                sizes.add(size);
            }
            stack.sourceClient().deleteTable(b -> b.tableName(table));
        }
        return sizes;
    }

    private void load(String table, int count) {
        AtomicInteger next = new AtomicInteger();
        PlainWrites.run(8, () -> {
            for (int batch = next.getAndIncrement(); batch * 25 < count; batch = next.getAndIncrement()) {
                Random random = new Random(batch);
                List<Map<String, AttributeValue>> items = new ArrayList<>(25);
                for (int i = batch * 25; i < Math.min(count, batch * 25 + 25); i++) {
                    items.add(Items.text("item-" + i, ITEM_BYTES, random));
                }
                PlainWrites.batchWrite(stack.sourceClient(), table, items);
            }
        });
    }
}
