package dev.ddbreplicator.bench.replication;

import dev.ddbreplicator.bench.ChildJvm;
import dev.ddbreplicator.bench.ProcessMemory;
import dev.ddbreplicator.bench.stack.Stack;
import dev.ddbreplicator.bench.stack.StackServer;
import dev.ddbreplicator.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The KCL worker as it is deployed: its runnable jar in a JVM of its own, with the given JVM flags
 * and worker settings. Finished events are read from its {@code /metrics}; it is paused with
 * SIGSTOP and resumed with SIGCONT.
 */
final class KclTarget implements Target {

    private static final Set<String> DONE = Set.of("applied", "stale", "skipped", "poison");

    private final ChildJvm process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private KclTarget(ChildJvm process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a worker of a registered pair and waits until KCL runs.
     *
     * @param jvmFlags e.g. the heap settings under test
     * @param settings extra worker flags, e.g. {@code --poll-interval 250ms}
     */
    static KclTarget start(Path jar, List<String> jvmFlags, Stack stack, String pairId, List<String> settings, Path log)
            throws InterruptedException {
        int port = FreePorts.next();
        List<String> launch = new ArrayList<>(List.of("-jar", jar.toString(),
                "--pair", pairId,
                "--region", StackServer.SOURCE_REGION,
                "--endpoint", StackServer.SOURCE_REGION + "=" + stack.sourceEndpoint(),
                "--endpoint", StackServer.REPLICA_REGION + "=" + stack.replicaEndpoint(),
                "--s3-endpoint", stack.s3Endpoint().toString(),
                "--dead-letter-bucket", ReplicationBench.DLQ_BUCKET,
                "--health-port", Integer.toString(port),
                // Default lease settings: KCL 3 assigns leases every second failover period, so a longer
                // one would delay the first lease by minutes. A pause (a few seconds) stays well inside it.
                "--worker-id", "bench-" + pairId));
        launch.addAll(settings);
        KclTarget target = new KclTarget(ChildJvm.start(jvmFlags, launch, log), port);
        target.awaitReady(Duration.ofMinutes(3));
        return target;
    }

    @Override
    public String name() {
        return "KCL worker";
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the KCL worker exited with status " + process.exitValue() + " (see its log)");
            }
            try {
                if (get("/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the endpoints are not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the KCL worker was not ready within " + timeout);
    }

    @Override
    public long finishedEvents() {
        try {
            HttpResponse<String> response = get("/metrics");
            return finished(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the worker's /metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The sum of {@code replicator_events_total} over the outcomes that finish an event, from Prometheus text. */
    static long finished(String prometheusText) {
        double total = 0;
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith("replicator_events_total{")) {
                continue;
            }
            int at = line.indexOf("outcome=\"");
            String outcome = line.substring(at + 9, line.indexOf('"', at + 9));
            if (DONE.contains(outcome)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(total);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void pause() {
        process.signal("STOP");
    }

    @Override
    public void resume() {
        process.signal("CONT");
    }

    @Override
    public ProcessMemory memory() {
        return process.memory();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(60));
    }
}
