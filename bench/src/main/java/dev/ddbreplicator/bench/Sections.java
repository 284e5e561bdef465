package dev.ddbreplicator.bench;

import dev.ddbreplicator.bench.backup.BackupBench;
import dev.ddbreplicator.bench.backup.BackupMemoryBench;
import dev.ddbreplicator.bench.coldstart.ColdStartBench;
import dev.ddbreplicator.bench.replication.ReplicationBench;
import dev.ddbreplicator.bench.replication.ScalingBench;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import java.util.List;
import java.util.function.Consumer;

/** The parts of the benchmark, each adding its rows to the table. */
final class Sections {

    private final Stack stack;
    private final BenchOptions options;
    private final ResultTable table;
    private final Consumer<String> log;

    Sections(Stack stack, BenchOptions options, ResultTable table, Consumer<String> log) {
        this.stack = stack;
        this.options = options;
        this.table = table;
        this.log = log;
    }

    void run(String section) throws Exception {
        log.accept("section " + section);
        switch (section) {
            case "kcl" -> replication("KCL worker", ReplicationBench.kcl(options.kclJar(), options.kclJvmFlags(), options.kclSettings(),
                    options.logDir()), 32, true);
            case "lambda" -> replication("Lambda handler", ReplicationBench.lambda(), 32, false);
            case "scaling" -> scaling();
            case "backup" -> backup();
            case "memory" -> memory();
            case "coldstart" -> coldStart();
            default -> throw new IllegalArgumentException("section " + section + " is not written yet");
        }
    }

    private ReplicationBench.Settings replicationSettings() {
        return options.quick() ? new ReplicationBench.Settings(3000, 2, 10_000) : new ReplicationBench.Settings(8000, 3, 20_000);
    }

    private void replication(String name, ReplicationBench.TargetFactory factory, int concurrency, boolean memory) throws Exception {
        ReplicationBench.Result r = new ReplicationBench(stack, replicationSettings(), log).measure(name, factory, concurrency);
        var inserts = r.inserts();
        table.add(name + ": throughput ratio, inserts", String.format("%.2f", inserts.medianRatio()), ">= 0.9",
                inserts.medianRatio() >= 0.9, String.format("%.0f events/s vs plain PutItem %.0f items/s at concurrency %d; runs %s",
                        inserts.medianRate(), inserts.medianPlain(), concurrency, format(inserts.ratios())));
        table.info(name + ": inserts vs the write protocol's own limit", String.format("%.2f", inserts.medianOfProtocol()),
                String.format("the same conditional writes sent plainly (tombstone check + versioned put, %d items per"
                        + " TransactWriteItems, concurrency %d): %.0f items/s", DynamoDbReplicaStore.NEW_ITEMS_PER_TRANSACTION, concurrency,
                        inserts.medianProtocol()));
        var hot = r.hotKeys();
        table.add(name + ": hot-key ratio (10% of keys get 90% of writes)", String.format("%.2f", hot.medianRatio()), "> 1",
                hot.medianRatio() > 1, String.format("%.0f events/s vs plain PutItem %.0f items/s; runs %s", hot.medianRate(),
                        hot.medianPlain(), format(hot.ratios())));
        table.add(name + ": lag p99 at half the sustained rate", String.format("%.0f ms", r.lag().p99Millis()), "< 1000 ms",
                r.lag().p99Millis() < 1000, String.format("p50 %.0f ms, max %.0f ms; %.0f writes/s for %d writes, %d watched",
                        r.lag().p50Millis(), r.lag().maxMillis(), r.lag().rate(), r.lag().writes(), r.lag().samples()));
        if (memory) {
            table.add(name + ": peak RSS (VmHWM) under load", String.format("%.0f MB", r.memory().peakRssMb()), "< 300 MB",
                    r.memory().peakRssMb() < 300, "JVM flags " + String.join(" ", options.kclJvmFlags())
                            + (options.kclSettings().isEmpty() ? "" : "; worker flags " + String.join(" ", options.kclSettings())));
        }
    }

    private void backup() throws Exception {
        BackupBench.Settings settings = options.quick() ? new BackupBench.Settings(15_000, 2, List.of(1, 2, 4))
                : new BackupBench.Settings(40_000, 3, List.of(1, 2, 4));
        List<BackupBench.Width> widths = new BackupBench(stack, settings, log).measure();
        BackupBench.Width widest = widths.get(widths.size() - 1);
        table.add(String.format("Backup ratio, %d segments", widest.width()), String.format("%.2f", widest.backupRatio()), ">= 0.8",
                widest.backupRatio() >= 0.8, String.format("export %.0f items/s vs plain parallel Scan %.0f items/s; %.1f MB/s of gzip"
                        + " to S3; %d items of ~1 KB; runs %s", widest.backup(), widest.scan(), widest.backupMbPerSecond(),
                        settings.items(), format(widest.backupRatios())));
        table.add(String.format("Restore ratio, %d threads", widest.width()), String.format("%.2f", widest.restoreRatio()), ">= 0.8",
                widest.restoreRatio() >= 0.8, String.format("restore %.0f items/s (whole job: checks, table, writes) vs plain"
                        + " BatchWriteItem %.0f items/s; runs %s", widest.restore(), widest.plainBatchWrite(),
                        format(widest.restoreRatios())));
        table.info("Scaling: backup by segments", widths.stream().map(w -> String.format("%d: %.0f", w.width(), w.backup()))
                .collect(java.util.stream.Collectors.joining(", ")), "items/s; plain Scan " + widths.stream()
                .map(w -> String.format("%d: %.0f", w.width(), w.scan())).collect(java.util.stream.Collectors.joining(", "))
                + "; ratios " + widths.stream().map(w -> String.format("%.2f", w.backupRatio())).toList());
        table.info("Scaling: restore by threads", widths.stream().map(w -> String.format("%d: %.0f", w.width(), w.restore()))
                .collect(java.util.stream.Collectors.joining(", ")), "items/s; plain BatchWriteItem " + widths.stream()
                .map(w -> String.format("%d: %.0f", w.width(), w.plainBatchWrite())).collect(java.util.stream.Collectors.joining(", "))
                + "; ratios " + widths.stream().map(w -> String.format("%.2f", w.restoreRatio())).toList());
    }

    private void scaling() throws Exception {
        List<ScalingBench.Point> points = new ScalingBench(() -> BenchMain.freshStack(options), log).measure(List.of(1, 2, 4),
                options.quick() ? 2000 : 4000, options.quick() ? 1 : 2);
        double one = points.get(0).rate();
        table.info("Scaling: Lambda replicator by shards (streams)", points.stream()
                        .map(p -> String.format("%d: %.0f", p.streams(), p.rate())).collect(java.util.stream.Collectors.joining(", ")),
                "events/s of inserts, one environment and poller per stream, drained at once; x" + points.stream()
                        .map(p -> String.format("%.2f", p.rate() / one)).toList() + " of one; DynamoDB Local gives each stream one shard");
    }

    private void memory() throws Exception {
        List<Integer> sizes = options.quick() ? List.of(64, 256) : List.of(256, 1024);
        List<BackupMemoryBench.Size> measured = new BackupMemoryBench(stack, log).measure(sizes, options.kclJvmFlags(), options.logDir());
        BackupMemoryBench.Size small = measured.get(0);
        BackupMemoryBench.Size large = measured.get(measured.size() - 1);
        boolean flat = large.peakRssMb() <= small.peakRssMb() * 1.25;
        table.add("Backup peak RSS (VmHWM) as the table grows", String.format("%d MB table: %.0f MB; %d MB table: %.0f MB",
                        small.tableMb(), small.peakRssMb(), large.tableMb(), large.peakRssMb()), "flat", flat,
                String.format("default request (segments by size: %d and %d, 8 threads); %d and %d items of ~8 KB in %.0f and %.0f s;"
                                + " JVM flags %s", small.segments(), large.segments(), small.items(), large.items(), small.seconds(),
                        large.seconds(), String.join(" ", options.kclJvmFlags())));
    }

    private void coldStart() throws Exception {
        ColdStartBench bench = new ColdStartBench(stack, log);
        bench.prepare();
        int runs = options.quick() ? 3 : 5;
        // Lambda's Java runtime stops JIT compilation at tier 1 by default (faster starts); the JVM's own defaults for comparison.
        ColdStartBench.Result lambdaLike = bench.measure(options.lambdaJar(), List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx512m"), runs, options.logDir());
        ColdStartBench.Result plain = bench.measure(options.lambdaJar(), List.of(), runs, options.logDir());
        table.info("Lambda cold start (no SnapStart), launch to first event handled", String.format("%.0f ms", lambdaLike.launchToHandledMillis()),
                String.format("median of %d; JVM flags as Lambda's runtime (%s); init (clients built) ends at %.0f ms; with the JVM's"
                        + " default flags %.0f ms", runs, String.join(" ", lambdaLike.jvmFlags()), lambdaLike.initUptimeMillis(),
                        plain.launchToHandledMillis()));
        table.info("Lambda deployment jar", String.format("%.1f MB", lambdaLike.jarBytes() / 1e6), options.lambdaJar().toString());
    }

    static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }
}
