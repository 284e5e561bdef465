package dev.ddbreplicator.bench;

import dev.ddbreplicator.bench.replication.ReplicationBench;
import dev.ddbreplicator.bench.stack.Stack;
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
            case "kcl" -> replication("KCL worker", ReplicationBench.kcl(options.kclJar(), options.kclJvmFlags(), List.of(),
                    options.logDir()), 32, true);
            case "lambda" -> replication("Lambda handler", ReplicationBench.lambda(), 32, false);
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
        var hot = r.hotKeys();
        table.add(name + ": hot-key ratio (10% of keys get 90% of writes)", String.format("%.2f", hot.medianRatio()), "> 1",
                hot.medianRatio() > 1, String.format("%.0f events/s vs plain PutItem %.0f items/s; runs %s", hot.medianRate(),
                        hot.medianPlain(), format(hot.ratios())));
        table.add(name + ": lag p99 at half the sustained rate", String.format("%.0f ms", r.lag().p99Millis()), "< 1000 ms",
                r.lag().p99Millis() < 1000, String.format("p50 %.0f ms, max %.0f ms; %.0f writes/s for %d writes, %d watched",
                        r.lag().p50Millis(), r.lag().maxMillis(), r.lag().rate(), r.lag().writes(), r.lag().samples()));
        if (memory) {
            table.add(name + ": peak RSS (VmHWM) under load", String.format("%.0f MB", r.memory().peakRssMb()), "< 300 MB",
                    r.memory().peakRssMb() < 300, "JVM flags " + String.join(" ", options.kclJvmFlags()));
        }
    }

    static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }
}
