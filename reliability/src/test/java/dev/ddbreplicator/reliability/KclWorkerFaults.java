package dev.ddbreplicator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.it.ReplicaHistory;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.FreePorts;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two KCL workers of one pair, each a process of its own, under a steady workload. The worker holding the
 * shard is killed with SIGKILL at random moments and restarted, as systemd would (ten times in the by-hand
 * run). Then the holder is frozen with SIGSTOP in the middle of
 * its writes, past its lease time, while the other takes the shard over and gets past them; resumed with
 * SIGCONT, it sends its held writes, which the version condition refuses (a held delete of an item that is
 * gone already changes nothing). The replica is scanned all along: no item may ever move backwards, and at
 * the end it equals the source. The classes run beside the others of the suite: they mostly wait on
 * their workers. {@link KclWorkerFaultsTest} (no kill; KclCrashRestartTest kills a worker in the default
 * suite already) and {@link KclWorkerTenKillsTest} (by hand) run it.
 */
@Execution(ExecutionMode.CONCURRENT)
abstract class KclWorkerFaults {

    static final TableShape SHAPE = TableShape.HASH_AND_RANGE;
    static final String DLQ_BUCKET = "my-dlq";
    static final String METRICS_NAMESPACE = "DdbReplicator";
    private static final Duration START = Duration.ofMinutes(3);

    /** What one run of the scenario found, for the tests to assert on. */
    record Outcome(int kills, List<Integer> killStatuses, VerifyReport report, List<String> historyProblems, int snapshots,
                   String pausedLog, String takerLog, long writes, String pausedId) {
    }

    static Outcome outcome;
    static Path logs;

    @AfterAll
    static void forget() {
        outcome = null;
    }

    /** Runs the scenario on these regions and S3 server, killing the shard's holder {@code kills} times first. */
    static Outcome scenario(LocalRegionsExtension aws, LocalS3Extension s3, int kills, String name) throws Exception {
        logs = Path.of(System.getProperty("reliability.reports", "target/reliability"), name);
        if (Files.isDirectory(logs)) {
            try (var old = Files.list(logs)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(logs);
        try (Stack stack = new Stack(aws.source(), aws.replica(), s3.server())) {
            // Named as in the instance policy of docs/kcl-worker.md, which is checked against the calls the workers make.
            TablePair pair = stack.pair("orders-eu", "Orders", "Orders", SHAPE);
            stack.s3Client().createBucket(b -> b.bucket(DLQ_BUCKET));
            List<String> common = List.of("--pair", pair.id(), "--region", Stack.SOURCE_REGION,
                    "--endpoint", Stack.SOURCE_REGION + "=" + aws.source().endpoint(),
                    "--endpoint", Stack.REPLICA_REGION + "=" + aws.replica().endpoint(),
                    "--s3-endpoint", s3.server().endpoint().toString(), "--dead-letter-bucket", DLQ_BUCKET,
                    "--poll-interval", "200ms", "--health-max-silence", "10s", "--lease-failover", "3s", "--shutdown-timeout", "30s");
            ChildWorker a = worker("worker-a", common, pair);
            // One with metrics to CloudWatch (unreachable here; the attempts are what the policy check needs).
            List<String> withMetrics = new ArrayList<>(common);
            withMetrics.addAll(List.of("--metrics", "cloudwatch:" + METRICS_NAMESPACE));
            ChildWorker b = worker("worker-b", withMetrics, pair);
            List<Integer> statuses = new ArrayList<>();
            Random random = new Random(name.hashCode());
            try (a; b; SteadyLoad load = new SteadyLoad(stack.sourceClient(), pair.sourceTable(), SHAPE, 120, 60, 3, 77);
                 ReplicaHistory.Recorder snapshots = new ReplicaHistory.Recorder(stack.replicaClient(), pair.replicaTable(),
                         SHAPE.keyNames(), WriterSettings.DEFAULT_VERSION_ATTRIBUTE)) {
                a.start();
                assertThat(a.awaitLease(START)).as("worker-a takes the shard; its log:%n%s", a.logTail()).isTrue();
                load.start();
                // An item the replica cannot take (over 400 KB with the version): dead-lettered, then deleted at the source.
                stack.sourceClient().putItem(r -> r.tableName(pair.sourceTable()).item(S3OutageTest.underTheLimitWithRange("poison")));
                b.start();
                assertThat(b.awaitReady(START)).as("worker-b ready; its log:%n%s", b.logTail()).isTrue();

                for (int kill = 0; kill < kills; kill++) {
                    Thread.sleep(2000 + random.nextInt(5000));
                    ChildWorker holder = awaitHolder(a, b);
                    statuses.add(holder.kill());
                    holder.start();
                    assertThat(holder.awaitReady(START)).as("%s back after kill %d; log:%n%s", holder.id, kill + 1, holder.logTail()).isTrue();
                    awaitHolder(a, b);
                }

                ChildWorker paused = awaitHolder(a, b);
                ChildWorker taker = paused == a ? b : a;
                Path gate = gateOf(paused);
                Files.writeString(gate, "held");
                assertThat(ChildWorker.await(() -> paused.logText().contains("gate: holding"), Duration.ofMinutes(1)))
                        .as("%s is in the middle of writes; log:%n%s", paused.id, paused.logTail()).isTrue();
                Thread.sleep(300);
                paused.pause();
                try {
                    assertThat(taker.awaitLease(Duration.ofMinutes(2))).as("%s takes the shard over; log:%n%s", taker.id, taker.logTail())
                            .isTrue();
                    // Let the new owner get past the held writes first: a change made now reaches the replica
                    // only after every change before it (one shard, in order).
                    assertThat(Stack.awaitMarker(stack, pair, Duration.ofMinutes(1))).as("%s caught up; log:%n%s", taker.id,
                            taker.logTail()).isTrue();
                } finally {
                    Files.deleteIfExists(gate);
                    paused.resume();
                }
                assertThat(ChildWorker.await(() -> paused.logText().contains("gate: held write"), Duration.ofMinutes(1)))
                        .as("%s sent its held writes; log:%n%s", paused.id, paused.logTail()).isTrue();
                Thread.sleep(2000);
                stack.sourceClient().deleteItem(r -> r.tableName(pair.sourceTable()).key(Map.of("pk", AttributeValue.fromS("poison"),
                        "sk", AttributeValue.fromN("1"))));
                long writes = load.stop();

                VerifyReport report = stack.awaitEqual(pair, Duration.ofMinutes(3));
                snapshots.close();
                List<ChangeEvent> stream = streamEvents(stack, pair.sourceTable());
                ReplicaHistory history = new ReplicaHistory(stream, WriterSettings.DEFAULT_VERSION_ATTRIBUTE);
                history.observeAll(snapshots.snapshots());
                // Stopped gracefully (both at once): KCL then releases its leader lock and leases, calls the policy must allow too.
                a.terminate();
                b.terminate();
                a.stop();
                b.stop();
                return new Outcome(kills, statuses, report, history.problems(), history.observations(), paused.logText(), taker.logText(),
                        writes, paused.id);
            }
        }
    }

    private static ChildWorker worker(String id, List<String> common, TablePair pair) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--worker-id", id, "--health-port", Integer.toString(FreePorts.next())));
        int port = Integer.parseInt(args.get(args.size() - 1));
        return new ChildWorker(id, port, logs.resolve(id + ".log"), args, FakeCredentials.environment(),
                List.of("-Dreliability.callLog=" + logs.resolve(id + ".calls"),
                        "-Dreliability.gateFile=" + logs.resolve("gate-" + id),
                        "-Dreliability.gateTable=" + pair.replicaTable()));
    }

    private static Path gateOf(ChildWorker worker) {
        return logs.resolve("gate-" + worker.id);
    }

    /** The worker that holds the shard now (waits until one does). */
    private static ChildWorker awaitHolder(ChildWorker a, ChildWorker b) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (a.isAlive() && a.leasesHeld() > 0) {
                return a;
            }
            if (b.isAlive() && b.leasesHeld() > 0) {
                return b;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no worker holds the shard; a:\n" + a.logTail() + "\nb:\n" + b.logTail());
    }

    static List<ChangeEvent> streamEvents(Stack stack, String table) {
        StreamRecordMapper mapper = new StreamRecordMapper(Clock.systemUTC());
        return new StreamReader(stack.clients.streams(Stack.SOURCE_REGION)).readAll(StreamReader.streamArn(stack.sourceClient(), table))
                .stream().map(r -> mapper.map(r, table)).toList();
    }

    /** Every AWS call the workers made, as IAM sees them (from the probe's call logs). */
    static TreeSet<String> recordedCalls() throws java.io.IOException {
        TreeSet<String> calls = new TreeSet<>();
        try (var files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".calls")).toList()) {
                calls.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return calls;
    }

    @Test
    void theReplicaEndsEqualToTheSource() {
        Results.record("KCL worker holding the shard killed with SIGKILL " + outcome.kills() + " time(s) at random moments, restarted;"
                        + " then frozen with SIGSTOP mid-write past its lease (3 s) and resumed with SIGCONT",
                "60 writes/s on 120 keys, " + outcome.writes() + " writes, two workers (child JVMs)",
                (outcome.report().isEqual() ? "verify equal (" + outcome.report().sourceItems() + " items)" : "NOT EQUAL " + outcome.report())
                        + "; " + outcome.snapshots() + " replica snapshots, " + outcome.historyProblems().size() + " moved backwards; "
                        + count(outcome.pausedLog(), "held write") + " held writes sent after SIGCONT, "
                        + countMatching(outcome.pausedLog(), "gate: held write \\w+ refused.*") + " refused by the version condition",
                outcome.report().missing() + outcome.report().different() + outcome.report().extra());
        assertThat(outcome.report().isEqual()).as(outcome.report().toString()).isTrue();
        assertThat(outcome.killStatuses()).hasSize(outcome.kills()).allMatch(status -> status == 137);
    }

    @Test
    void noReplicaItemEverMovedBackwards() {
        assertThat(outcome.snapshots()).as("replica snapshots taken").isGreaterThan(20);
        assertThat(outcome.historyProblems()).isEmpty();
    }

    @Test
    void theFrozenWorkersHeldWritesWereRefusedByTheVersionCondition() {
        assertThat(outcome.pausedLog()).as("held writes of %s", outcome.pausedId()).contains("gate: held write");
        long held = count(outcome.pausedLog(), "gate: held write");
        assertThat(held).as("every held write was answered").isEqualTo(countMatching(outcome.pausedLog(), "gate: held write \\w+ (refused|applied).*"));
        assertThat(countMatching(outcome.pausedLog(), "gate: held write \\w+ refused.*")).as("stale writes refused").isPositive();
        // A held write the new owner had not yet overtaken may be applied: it is then not stale. The history
        // check above is what proves that none of them moved an item backwards.
        assertThat(outcome.takerLog()).contains("replicating from");
    }

    @Test
    void theDocumentedInstancePolicyAllowsEveryCallTheWorkersMadeAndNothingElse() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/kcl-worker.md"))) {
            root = root.getParent();
        }
        IamPolicy policy = IamPolicy.fromMarkdown(Files.readString(root.resolve("docs/kcl-worker.md")), "IAM policy of the instance profile",
                Map.of("SRC", Stack.SOURCE_REGION, "DST", Stack.REPLICA_REGION));
        List<IamPolicy.Call> calls = recordedCalls().stream().map(IamPolicy.Call::parse).toList();
        calls.forEach(call -> System.out.println("worker calls " + call));
        List<IamPolicy.Call> denied = calls.stream().filter(c -> !policy.allows(c)).toList();
        List<String> unused = new ArrayList<>();
        for (IamPolicy.Statement statement : policy.statements()) {
            for (String action : statement.actions()) {
                boolean used = calls.stream().anyMatch(c -> new IamPolicy.Statement(statement.sid(), List.of(action), statement.resources(),
                        statement.stringEquals()).allows(c.action(), c.resource(), c.context()));
                if (!used) {
                    unused.add(statement.sid() + ": " + action + " on " + statement.resources());
                }
            }
        }
        Results.record("security: the KCL worker's instance policy in docs/kcl-worker.md against the calls two workers made",
                calls.size() + " distinct authorizations recorded (SDK interceptor in the worker processes)",
                denied.isEmpty() && unused.isEmpty() ? "every call allowed, every granted action used"
                        : "denied " + denied + "; granted but unused " + unused, 0);

        assertThat(calls).extracting(IamPolicy.Call::action).contains("dynamodb:GetRecords", "dynamodb:PutItem", "dynamodb:CreateTable",
                "s3:PutObject", "cloudwatch:PutMetricData");
        assertThat(denied).as("calls the documented policy does not allow").isEmpty();
        assertThat(unused).as("actions the documented policy grants that no call used").isEmpty();
    }

    @Test
    void noCredentialAppearsInTheWorkersLogs() throws Exception {
        List<String> logsText = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                logsText.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertThat(logsText).hasSize(2).allSatisfy(text -> assertThat(text).contains("replicating"));
        assertThat(SecurityTest.leaks(logsText)).as("fake secrets of the workers' environment in their logs").isEmpty();
    }

    static long countMatching(String text, String regex) {
        return text.lines().filter(l -> l.matches(regex)).count();
    }

    static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }
}
