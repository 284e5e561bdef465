package dev.ddbreplicator.bench;

import dev.ddbreplicator.bench.replication.ReplicationBench;
import dev.ddbreplicator.bench.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the benchmarks (see BENCHMARKS.md) and prints the summary table. {@code scripts/bench} builds
 * the project and calls this; run it by hand as that script does.
 */
public final class BenchMain {

    static final Set<String> SECTIONS = new LinkedHashSet<>(List.of("kcl", "lambda", "scaling", "backup", "memory", "coldstart"));

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(BenchOptions options) throws Exception {
        Files.createDirectories(options.logDir());
        long start = System.nanoTime();
        ResultTable table = new ResultTable();
        List<String> failures = new ArrayList<>();
        log("load average at start: " + loadAverage());
        for (String section : options.sections()) {
            // A fresh stack for each section: DynamoDB Local's DescribeStream slows as the stream records it holds grow,
            // and after the KCL section's changes the Lambda section's poller kept the server's one SQLite thread busy.
            try (Stack stack = freshStack(options)) {
                new Sections(stack, options, table, BenchMain::log).run(section);
            } catch (Exception e) {
                failures.add(section + ": " + e);
                log("section " + section + " FAILED: " + e);
                e.printStackTrace(System.out);
            }
        }
        System.out.println();
        System.out.printf("## Results (%s, %s mode, %.0f s, load average at end %s)%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), options.quick() ? "quick" : "full",
                (System.nanoTime() - start) / 1e9, loadAverage());
        System.out.print(table.toMarkdown());
        if (!failures.isEmpty()) {
            System.out.println();
            failures.forEach(f -> System.out.println("FAILED " + f));
            return 1;
        }
        return 0;
    }

    /** A stack of DynamoDB Local and S3 in a child process, with the benchmark's control tables. */
    static Stack freshStack(BenchOptions options) throws Exception {
        Stack stack = Stack.start(options.logDir(), "3g");
        try {
            ReplicationBench.prepare(stack);
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    static void log(String line) {
        System.out.println("[bench " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
        System.out.flush();
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (Exception e) {
            return "unknown";
        }
    }
}
