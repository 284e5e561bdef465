package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.verify.TableVerifier;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.verify.VerifySettings;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.Workload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The README's first command: on an embedded stack (two DynamoDB Local regions and an S3 server in
 * this process) it creates a master table with data, registers a pair, backfills while writes go
 * on, replicates a live mixed workload, verifies, and sums up. It runs the real verbs, so what it
 * prints is what an operator types.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole story on an embedded stack (nothing to install): a master table with data in us-east-1, "
                + "a pair to eu-west-1, a backfill while writes go on, a replicator on a live mixed workload (progress: applied, "
                + "rate, lag p50/p99), verify, a backup to S3 and its restore into a new table (verified too); ends with a summary.",
                "Exit 0 only if every check passed."})
final class DemoCommand extends Verb {

    static final String TABLE = "Orders";
    static final String PAIR = "orders-eu";
    static final String RESTORED = "Orders-restored";
    static final String BUCKET = "ddb-replicator-demo";
    static final String MASTER = "us-east-1";
    static final String REPLICA = "eu-west-1";
    private static final TableShape SHAPE = TableShape.HASH_AND_RANGE;

    @Option(names = "--items", paramLabel = "N", defaultValue = "5000",
            description = "Items in the master table before replication starts; the live workload makes as many changes (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--replicator", paramLabel = "lambda|kcl|core", defaultValue = "lambda",
            description = "What replicates: lambda (the Lambda handler, fed like the event source mapping feeds it), kcl (the KCL "
                    + "worker), or core (the core driven by a plain stream follower) (default: ${DEFAULT-VALUE}).")
    String replicator;

    /** One line of the summary. */
    record Step(String name, Status status, String detail, double seconds) {
    }

    @Override
    @SuppressWarnings("try") // the progress line only has to stop when the work does
    protected Result execute(Environment env) throws Exception {
        if (items < 1 || items > 10_000_000) {
            throw CliException.badRequest("--items must be 1 to 10000000, got " + items);
        }
        if (!List.of("core", "lambda", "kcl").contains(replicator)) {
            throw CliException.badRequest("--replicator must be core, lambda or kcl, got '" + replicator + "'");
        }
        PrintStream out = env.output().progress();
        List<Step> steps = new ArrayList<>();
        long demoStarted = System.nanoTime();
        try (LocalRegion east = QuietStart.start(() -> LocalRegion.startOnLoopback(MASTER, 0, Optional.empty()));
             LocalRegion west = QuietStart.start(() -> LocalRegion.startOnLoopback(REPLICA, 0, Optional.empty()));
             LocalS3 s3 = LocalS3.start(0, Optional.empty());
             AwsClients clients = new AwsClients(AwsSettings.local(Map.of(MASTER, east.endpoint(), REPLICA, west.endpoint()),
                     Optional.of(s3.endpoint())))) {
            List<String> flags = List.of("--region", MASTER, "--endpoint", MASTER + "=" + east.endpoint(),
                    "--endpoint", REPLICA + "=" + west.endpoint(), "--s3-endpoint", s3.endpoint().toString());
            out.printf("embedded stack: %s %s, %s %s, S3 %s%n", MASTER, east.endpoint(), REPLICA, west.endpoint(), s3.endpoint());
            out.println("the commands below run against it with: " + String.join(" ", flags.subList(2, flags.size())));
            Verbs verbs = new Verbs(env, out, flags);
            DynamoDbClient master = clients.dynamoDb(MASTER);

            long t = System.nanoTime();
            createMaster(master);
            long loaded = load(master);
            steps.add(new Step("master table", Status.SUCCESS, String.format(Locale.ROOT, "%s in %s with %,d items", TABLE, MASTER, loaded),
                    seconds(t)));

            t = System.nanoTime();
            boolean paired = verbs.run("streams", "enable", "--table", TABLE) == 0
                    && verbs.run("pairs", "add", "--source-table", TABLE, "--source-region", MASTER, "--replica-table", TABLE,
                    "--replica-region", REPLICA, "--create-replica", "--id", PAIR) == 0;
            steps.add(new Step("stream + pair", paired ? Status.SUCCESS : Status.ERROR, "NEW_AND_OLD_IMAGES stream; pair " + PAIR
                    + ", replica created like the master", seconds(t)));
            if (!paired) {
                return summary(env, steps, demoStarted);
            }

            clients.s3(MASTER).createBucket(b -> b.bucket(BUCKET));
            if (replicator.equals("kcl")) {
                out.println("starting the KCL worker (KCL takes 20-60 s to create its tables and take the first lease) ...");
            }
            try (DemoReplicator running = startReplicator(env, clients, flags);
                 LagProbe probe = new LagProbe(master, TABLE, clients.dynamoDb(REPLICA), TABLE,
                         Map.of("hash", SHAPE.hashKey(), "range", SHAPE.rangeKey().orElse(""), "rangeType", "N")).start()) {
                out.println("replicator: " + running.describe() + ", following the stream from its oldest record");
                // Backfill while writes go on: the copy and the stream race for the same items.
                AtomicLong changes = new AtomicLong();
                t = System.nanoTime();
                CompletableFuture<Long> during = CompletableFuture.supplyAsync(() ->
                        new CountingWorkload(items, 100, changes).run(master, TABLE, Math.max(1, items / 2), 4));
                int backfill = verbs.run("backfill", "--pair", PAIR);
                long duringBackfill = during.get(10, TimeUnit.MINUTES);
                steps.add(new Step("backfill", backfill == 0 ? Status.SUCCESS : Status.ERROR, String.format(Locale.ROOT,
                        "while %,d changes were written; pair now %s", duringBackfill, backfill == 0 ? "ACTIVE" : "BACKFILLING"), seconds(t)));

                out.println();
                out.println("live: a mixed workload of " + String.format(Locale.ROOT, "%,d", items) + " puts, updates and deletes by 4 writers");
                probe.reset();
                changes.set(0);
                long appliedBefore = running.applied();
                long liveStarted = System.nanoTime();
                t = liveStarted;
                boolean caughtUp;
                try (Progress progress = Progress.start(env.output(), () -> liveLine(changes.get(), running, probe, liveStarted, appliedBefore),
                        Duration.ofSeconds(2))) {
                    new CountingWorkload(items, 200, changes).run(master, TABLE, items, 4);
                    // The probe stops writing first, so that nothing is written after the catch-up marker.
                    probe.stop();
                    caughtUp = catchUp(master, clients.dynamoDb(REPLICA));
                }
                out.println(liveLine(changes.get(), running, probe, liveStarted, appliedBefore));
                steps.add(new Step("live replication", caughtUp ? Status.SUCCESS : Status.ERROR, caughtUp ? String.format(Locale.ROOT,
                        "%s: %,d changes, %,d applied (%,.0f/s); lag p50 %d ms, p99 %d ms (%d probes)", replicator, changes.get(),
                        running.applied() - appliedBefore, (running.applied() - appliedBefore) / seconds(liveStarted), probe.percentile(50),
                        probe.percentile(99), probe.samples()) : "the replica did not catch up within 60 s", seconds(t)));
                if (!caughtUp) {
                    return summary(env, steps, demoStarted);
                }
            }

            t = System.nanoTime();
            int verify = verbs.run("verify", "--pair", PAIR);
            steps.add(new Step("verify", verify == 0 ? Status.SUCCESS : Status.ERROR,
                    verify == 0 ? "master and replica hold the same items" : "master and replica differ (see above)", seconds(t)));
            t = System.nanoTime();
            JsonNode backup = verbs.json("backup", "run", "--table", TABLE, "--bucket", BUCKET);
            boolean backedUp = "success".equals(backup.path("status").asText());
            String exportId = backup.path("data").path("exportId").asText();
            steps.add(new Step("backup to S3", backedUp ? Status.SUCCESS : Status.ERROR, backedUp ? String.format(Locale.ROOT,
                    "%,d items in s3://%s/%s", backup.path("data").path("items").asLong(), BUCKET, backup.path("data").path("directory").asText())
                    : backup.path("message").asText(), seconds(t)));
            if (backedUp) {
                t = System.nanoTime();
                boolean restored = verbs.run("restore", "--bucket", BUCKET, "--export", exportId, "--target-table", RESTORED) == 0;
                VerifyReport same = restored ? new TableVerifier(master, TABLE, master, RESTORED, "_rv", VerifySettings.defaults(),
                        new Retrier(RetryPolicy.CONTROL)).verify() : null;
                boolean equal = same != null && same.isEqual();
                if (same != null) {
                    out.println(equal ? String.format(Locale.ROOT, "restored table %s equals the master (%,d items)", RESTORED, same.sourceItems())
                            : "restored table " + RESTORED + " differs from the master: " + same);
                }
                steps.add(new Step("restore + verify", equal ? Status.SUCCESS : Status.ERROR, !restored ? "the restore failed (see above)"
                        : equal ? "into " + RESTORED + ", equal to the master" : "the restored table differs from the master", seconds(t)));
            }
            return summary(env, steps, demoStarted);
        }
    }

    private DemoReplicator startReplicator(Environment env, AwsClients clients, List<String> flags) throws InterruptedException {
        StatusStore status = new StatusStore(clients.dynamoDb(MASTER), PairRegistry.DEFAULT_TABLE);
        String streamArn = StreamReader.streamArn(clients.dynamoDb(MASTER), TABLE);
        if (replicator.equals("kcl")) {
            return new KclDemoReplicator(flags, PAIR, BUCKET);
        }
        if (replicator.equals("lambda")) {
            return new LambdaDemoReplicator(clients.settings(), clients.streams(MASTER), streamArn, MASTER, PairRegistry.DEFAULT_TABLE, BUCKET,
                    status, PAIR, env.clock());
        }
        PairRegistry registry = new PairRegistry(clients.dynamoDb(MASTER), PairRegistry.DEFAULT_TABLE, env.clock(), Duration.ZERO,
                new Retrier(RetryPolicy.CONTROL));
        Replicators replicators = new Replicators(clients, ReplicatorSettings.defaults().withStatusInterval(Duration.ofSeconds(1)),
                new S3DeadLetterStore(clients.s3(MASTER), BUCKET, "", new Retrier(RetryPolicy.CONTROL)), new SimpleMeterRegistry(),
                env.clock(), Optional.of(status));
        return new StreamFollower(clients.streams(MASTER), streamArn, TABLE, replicators.create(registry.get(PAIR).orElseThrow()),
                env.clock()).start();
    }

    private static String liveLine(long changes, DemoReplicator running, LagProbe probe, long startedNanos, long appliedAtStart) {
        double seconds = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
        long applied = running.applied();
        return String.format(Locale.ROOT, "live: %,d changes written, %,d applied (%,.0f/s), lag p50 %s p99 %s", changes,
                applied - appliedAtStart, (applied - appliedAtStart) / seconds, millis(probe.percentile(50)), millis(probe.percentile(99)));
    }

    private static String millis(long value) {
        return value < 0 ? "-" : value + " ms";
    }

    private static void createMaster(DynamoDbClient master) {
        master.createTable(b -> b.tableName(TABLE).keySchema(SHAPE.keySchema()).attributeDefinitions(SHAPE.attributeDefinitions())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        master.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
    }

    /** Fills the master with {@code items} items before its stream exists: only a backfill can copy them. */
    private long load(DynamoDbClient master) throws Exception {
        Workload keys = Workload.mixed(SHAPE, items, 42);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> batches = new ArrayList<>();
            for (int start = 0; start < items; start += 25) {
                int from = start;
                batches.add(CompletableFuture.runAsync(() -> {
                    Random random = new Random(from);
                    List<WriteRequest> writes = new ArrayList<>();
                    for (int i = from; i < Math.min(items, from + 25); i++) {
                        Map<String, AttributeValue> item = new HashMap<>(keys.key(i));
                        item.putAll(Workload.randomAttributes(random));
                        writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                    }
                    Map<String, List<WriteRequest>> pending = Map.of(TABLE, writes);
                    while (!pending.isEmpty()) {
                        Map<String, List<WriteRequest>> request = pending;
                        pending = master.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                    }
                }, pool));
            }
            CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return items;
    }

    /** Writes a marker and waits until it is in the replica: everything written before it has been replicated. */
    private static boolean catchUp(DynamoDbClient master, DynamoDbClient replica) throws InterruptedException {
        Map<String, AttributeValue> key = Map.of(SHAPE.hashKey(), AttributeValue.fromS("~caught-up"), SHAPE.rangeKey().orElseThrow(),
                AttributeValue.fromN("0"));
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("at", AttributeValue.fromN(Long.toString(System.nanoTime())));
        master.putItem(b -> b.tableName(TABLE).item(item));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Map<String, AttributeValue> seen = replica.getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item();
            if (seen != null && item.get("at").equals(seen.get("at"))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private Result summary(Environment env, List<Step> steps, long startedNanos) {
        boolean ok = steps.stream().allMatch(s -> s.status().isOk());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("STEP", "RESULT", "TIME", "DETAIL"));
        List<Map<String, Object>> data = new ArrayList<>();
        for (Step step : steps) {
            String result = switch (step.status()) {
                case SUCCESS -> "ok";
                case SKIPPED -> "skipped";
                default -> "FAILED";
            };
            rows.add(List.of(step.name(), result, String.format(Locale.ROOT, "%.1fs", step.seconds()), step.detail()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step.name());
            row.put("result", result);
            row.put("seconds", Math.round(step.seconds() * 10) / 10.0);
            row.put("detail", step.detail());
            data.add(row);
        }
        double total = seconds(startedNanos);
        String text = "\n" + TextTable.render(rows) + String.format(Locale.ROOT, "demo %s in %.1fs%n", ok ? "passed" : "FAILED", total);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("steps", data);
        answer.put("seconds", Math.round(total * 10) / 10.0);
        if (ok) {
            return Result.success(String.format(Locale.ROOT, "demo passed in %.1fs", total), answer, text);
        }
        String failed = steps.stream().filter(s -> !s.status().isOk()).map(Step::name).findFirst().orElse("?");
        return Result.failed("demo failed at step '" + failed + "'", answer, text);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Runs verbs of this command in this process against the demo's stack, printing each command line first. */
    private record Verbs(Environment env, PrintStream out, List<String> flags) {
        int run(String... verb) {
            out.println();
            out.println("$ ddb-replicator " + String.join(" ", verb));
            List<String> args = new ArrayList<>(flags);
            args.addAll(List.of(verb));
            return Main.run(args.toArray(String[]::new), out, env.output().err(), env.variables());
        }

        /** Runs the verb with --json, prints its message, and returns its answer (for the values the next steps need). */
        JsonNode json(String... verb) throws IOException {
            out.println();
            out.println("$ ddb-replicator " + String.join(" ", verb));
            List<String> args = new ArrayList<>(flags);
            args.add("--json");
            args.addAll(List.of(verb));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            Main.run(args.toArray(String[]::new), new PrintStream(answer, true, StandardCharsets.UTF_8), env.output().err(), env.variables());
            JsonNode node = new ObjectMapper().readTree(answer.toString(StandardCharsets.UTF_8));
            if ("success".equals(node.path("status").asText())) {
                out.println(node.path("message").asText());
            }
            return node;
        }
    }

    /** The live workload in chunks of different seeds, counting its changes as it goes so the progress line can show them. */
    private record CountingWorkload(int keySpace, long seed, AtomicLong counter) {
        long run(DynamoDbClient client, String table, int operations, int threads) {
            int chunk = Math.max(threads, operations / 20);
            long done = 0;
            for (int i = 0, round = 0; i < operations; i += chunk, round++) {
                done += Workload.mixed(SHAPE, keySpace, seed + round).run(client, table, Math.min(chunk, operations - i), threads);
                counter.set(done);
            }
            return done;
        }
    }
}
