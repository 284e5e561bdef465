package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.testkit.FreePorts;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The soak: a KCL worker (a process of its own, as on EC2) replicates a steady stream of writes for a
 * long time, by default an hour. Every sample forces a full GC in the worker ({@code jcmd GC.run}) and
 * reads its heap and live threads from {@code /metrics}; the table of samples is printed and kept in
 * {@code target/reliability/soak.txt}. It fails when the heap after GC or the thread count grows beyond
 * the bounds below between the first samples after warm-up and the last ones, when the worker falls
 * behind, or when the replica does not end equal to the source.
 *
 * <p>By hand: {@code scripts/soak} (60 minutes) or {@code scripts/soak --minutes 15 --rate 100}.
 */
@Tag("long")
@Tag("soak")
class SoakTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    /** Heap after a full GC may grow by this share of the warm-up figure, plus {@link #HEAP_SLACK_MIB}, no more. */
    static final double HEAP_GROWTH = 0.25;
    static final double HEAP_SLACK_MIB = 16;
    /** Live threads may grow by this many, no more (KCL starts a few on demand). */
    static final int THREAD_SLACK = 8;
    /** The worker keeps up: a marker written at each sample reaches the replica within this. */
    static final Duration MAX_LAG = Duration.ofSeconds(30);

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern THREADS = Pattern.compile("^jvm_threads_live_threads(?:\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

    /** One sample of the worker. */
    record Sample(Duration at, long writes, double heapMib, int threads, long lagMillis, boolean healthy) {
        String row() {
            return String.format(Locale.ROOT, "%8.1f  %10d  %10.1f  %7d  %15d  %s", at.toSeconds() / 60.0, writes, heapMib, threads, lagMillis,
                    healthy ? "UP" : "DOWN");
        }
    }

    @Test
    void aWorkerReplicatingASteadyRateForLongKeepsItsHeapAndThreadsFlatAndLosesNothing() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("reliability.soak.minutes", "60"));
        double rate = Double.parseDouble(System.getProperty("reliability.soak.rate", "50"));
        Duration length = Duration.ofSeconds(Math.round(minutes * 60));
        Duration every = Duration.ofSeconds(Math.max(15, length.toSeconds() / 20));
        Path dir = Path.of(System.getProperty("reliability.reports", "target/reliability"), "soak");
        Files.createDirectories(dir);
        try (Stack stack = new Stack(AWS.source(), AWS.replica(), S3.server())) {
            TablePair pair = stack.pair("soak", "soak", "soak-replica", TableShape.HASH_AND_RANGE);
            int port = FreePorts.next();
            List<String> args = List.of("--pair", pair.id(), "--region", Stack.SOURCE_REGION,
                    "--endpoint", Stack.SOURCE_REGION + "=" + AWS.source().endpoint(),
                    "--endpoint", Stack.REPLICA_REGION + "=" + AWS.replica().endpoint(),
                    "--s3-endpoint", S3.server().endpoint().toString(), "--dead-letter-bucket", Stack.DLQ_BUCKET,
                    "--poll-interval", "200ms", "--health-max-silence", "20s", "--worker-id", "soak", "--health-port", Integer.toString(port));
            Files.deleteIfExists(dir.resolve("worker.log"));
            List<Sample> samples = new ArrayList<>();
            try (ChildWorker worker = new ChildWorker("soak", port, dir.resolve("worker.log"), args, java.util.Map.of(), List.of())
                    .fromCopiedJars(dir.resolve("jars")).start();
                 SteadyLoad load = new SteadyLoad(stack.sourceClient(), pair.sourceTable(), TableShape.HASH_AND_RANGE, 2000, rate, 4, 99)) {
                assertThat(worker.awaitLease(Duration.ofMinutes(3))).as("the worker runs; log:%n%s", worker.logTail()).isTrue();
                long start = System.nanoTime();
                load.start();
                System.out.println("SOAK " + minutes + " min at " + rate + " writes/s, a sample every " + every.toSeconds() + " s");
                System.out.println("SOAK  minutes      writes    heap MiB  threads  marker lag (ms)  health");
                while (System.nanoTime() - start < length.toNanos()) {
                    Thread.sleep(Math.min(every.toMillis(), Math.max(1, (length.toNanos() - (System.nanoTime() - start)) / 1_000_000)));
                    long lag = markerLag(stack, pair, samples.size());
                    Sample sample = sample(worker, Duration.ofNanos(System.nanoTime() - start), load.succeeded(), lag);
                    samples.add(sample);
                    System.out.println("SOAK " + sample.row());
                }
                long writes = load.stop();
                VerifyReport report = stack.awaitEqual(pair, Duration.ofMinutes(3));
                String table = table(minutes, rate, samples, report);
                Files.writeString(dir.resolve("soak.txt"), table, StandardCharsets.UTF_8);
                System.out.println(table);

                List<Sample> warm = samples.subList(Math.min(2, samples.size() - 1), Math.min(5, samples.size()));
                List<Sample> last = samples.subList(Math.max(0, samples.size() - 3), samples.size());
                double heapBefore = median(warm.stream().mapToDouble(Sample::heapMib).toArray());
                double heapAfter = median(last.stream().mapToDouble(Sample::heapMib).toArray());
                int threadsBefore = warm.stream().mapToInt(Sample::threads).max().orElse(0);
                int threadsAfter = last.stream().mapToInt(Sample::threads).max().orElse(0);
                Results.record("soak: " + minutes + " minutes at a steady rate, one KCL worker (child JVM)", Math.round(rate) + " writes/s, "
                                + writes + " writes",
                        String.format(Locale.ROOT, "heap after GC %.1f -> %.1f MiB, threads %d -> %d, max marker lag %d ms; %s", heapBefore, heapAfter,
                                threadsBefore, threadsAfter, samples.stream().mapToLong(Sample::lagMillis).max().orElse(-1),
                                report.isEqual() ? "verify equal (" + report.sourceItems() + " items)" : "NOT EQUAL " + report),
                        report.missing() + report.different() + report.extra());

                assertThat(samples).as("samples").hasSizeGreaterThanOrEqualTo(4);
                assertThat(samples).as("health at every sample").allMatch(Sample::healthy);
                assertThat(heapAfter).as("heap after GC at the end, MiB (warm-up %.1f)", heapBefore)
                        .isLessThanOrEqualTo(heapBefore * (1 + HEAP_GROWTH) + HEAP_SLACK_MIB);
                assertThat(threadsAfter).as("live threads at the end (warm-up %d)", threadsBefore).isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
                assertThat(samples).as("lag at each sample").allMatch(s -> s.lagMillis() < MAX_LAG.toMillis());
                assertThat(report.isEqual()).as(report.toString()).isTrue();
            }
        }
    }

    /**
     * Writes a marker to the source and waits for it in the replica: the replication lag as an operator
     * would see it (DynamoDB Local truncates the stream's creation times to the minute, so the worker's own
     * lag figure cannot be used here). {@link #MAX_LAG} plus a second when it does not arrive in time.
     */
    private static long markerLag(Stack stack, TablePair pair, int number) throws InterruptedException {
        java.util.Map<String, AttributeValue> key = java.util.Map.of("pk", AttributeValue.fromS("soak-marker"), "sk", AttributeValue.fromN("0"));
        java.util.Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.put("n", AttributeValue.fromN(Integer.toString(number)));
        long written = System.nanoTime();
        stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable()).item(item));
        while (System.nanoTime() - written < MAX_LAG.toNanos()) {
            java.util.Map<String, AttributeValue> seen = stack.replicaClient().getItem(b -> b.tableName(pair.replicaTable()).key(key)
                    .consistentRead(true)).item();
            if (seen != null && item.get("n").equals(seen.get("n"))) {
                return (System.nanoTime() - written) / 1_000_000;
            }
            Thread.sleep(20);
        }
        return MAX_LAG.toMillis() + 1000;
    }

    private static Sample sample(ChildWorker worker, Duration at, long writes, long lagMillis) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(worker.pid()), "GC.run")
                .redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = worker.get("/metrics");
        double heap = 0;
        Matcher heaps = HEAP.matcher(metrics);
        while (heaps.find()) {
            heap += Double.parseDouble(heaps.group(1));
        }
        Matcher threads = THREADS.matcher(metrics);
        String health = worker.get("/health");
        return new Sample(at, writes, heap / (1 << 20), threads.find() ? (int) Double.parseDouble(threads.group(1)) : -1, lagMillis,
                health.contains("\"UP\""));
    }

    private static String table(double minutes, double rate, List<Sample> samples, VerifyReport report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "soak: %.1f minutes at %.0f writes/s; bounds: heap after GC +%.0f%% +%.0f MiB, threads +%d,"
                + " marker lag < %d s%n", minutes, rate, HEAP_GROWTH * 100, HEAP_SLACK_MIB, THREAD_SLACK, MAX_LAG.toSeconds()));
        text.append(" minutes      writes    heap MiB  threads  marker lag (ms)  health\n");
        samples.forEach(s -> text.append(s.row()).append('\n'));
        text.append("verify: ").append(report.isEqual() ? "equal, " + report.sourceItems() + " items" : report.toString()).append('\n');
        return text.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
