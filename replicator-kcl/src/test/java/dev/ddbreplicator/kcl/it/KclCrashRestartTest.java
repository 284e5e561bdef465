package dev.ddbreplicator.kcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.kcl.Main;
import dev.ddbreplicator.testkit.FreePorts;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker as a process of its own, killed with SIGKILL in the middle of a workload and started
 * again, as systemd would: the replica ends equal to the source and no item ever moves backwards.
 * The second process is then stopped with SIGTERM: it checkpoints and stops cleanly.
 */
class KclCrashRestartTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Duration START = Duration.ofMinutes(3);

    @Test
    void aWorkerKilledHardMidWorkloadThenRestartedLosesNothingAndNeverMovesAnItemBackwards() throws Exception {
        try (LocalPair pair = new LocalPair(AWS.source(), AWS.replica(), S3.server(), "crash").create()) {
            int port = FreePorts.next();
            List<String> args = pair.workerArgs(port, "--worker-id", "crash-worker");
            Process worker = startWorker(args, "first");
            try (ReplicaWatcher watcher = new ReplicaWatcher(pair.replicaClient(), LocalPair.REPLICA, LocalPair.SHAPE.keyNames()).start()) {
                assertThat(HealthProbe.await(port, "/ready", START)).as("first worker ready; its log:%n%s", log("first")).isTrue();
                AtomicBoolean writing = new AtomicBoolean(true);
                CompletableFuture<Long> workload = CompletableFuture.supplyAsync(() -> {
                    long done = 0;
                    for (int round = 0; writing.get(); round++) {
                        done += Workload.mixed(LocalPair.SHAPE, 800, 40 + round).run(pair.sourceClient(), LocalPair.SOURCE, 200, 2);
                    }
                    return done;
                });
                awaitCheckpoint(port, Duration.ofMinutes(2));
                Thread.sleep(1000);

                worker.destroyForcibly();
                assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                assertThat(workload).as("the workload is still running when the worker dies").isNotDone();

                worker = startWorker(args, "second");
                assertThat(HealthProbe.await(port, "/ready", START)).as("second worker ready; its log:%n%s", log("second")).isTrue();
                Thread.sleep(3000);
                writing.set(false);
                assertThat(workload.get(3, TimeUnit.MINUTES)).isGreaterThan(1000);
                TableDiff diff = pair.awaitEqual(Duration.ofMinutes(3));

                assertThat(diff.isEqual()).as(diff.toString()).isTrue();
                watcher.stop();
                assertThat(watcher.scans()).isGreaterThan(5);
                assertThat(watcher.backwards()).as("replica items that moved backwards").isEmpty();
                assertThat(HealthProbe.get(port, "/health").status()).isEqualTo(200);

                worker.destroy();
                assertThat(worker.waitFor(90, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
                // 143 is the JVM's status after SIGTERM, whatever its shutdown hooks did; the unit counts it as success.
                assertThat(worker.exitValue()).as("exit status after SIGTERM; log:%n%s", log("second")).isEqualTo(143);
                assertThat(log("second")).as("resumed from the first worker's checkpoint")
                        .containsPattern("replicating from \\{SequenceNumber: \\d+");
                assertThat(log("second")).contains("checkpointed before handing the shard over", "stopped");
            } finally {
                if (worker.isAlive()) {
                    worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Starts the worker's main class in a JVM of its own, on this test's class path. */
    private static Process startWorker(List<String> args, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        command.addAll(args);
        Path log = logFile(name);
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the worker has finished (and so checkpointed) a first batch. */
    private static void awaitCheckpoint(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (HealthProbe.get(port, "/health").body().contains("\"lastAppliedSequence\":\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker finished no batch within " + timeout);
    }

    private static Path logFile(String name) {
        return Path.of("target", "kcl-crash-" + name + ".log");
    }

    private static String log(String name) throws IOException {
        List<String> lines = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
