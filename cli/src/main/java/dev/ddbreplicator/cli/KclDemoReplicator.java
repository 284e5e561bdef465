package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.metrics.ReplicationMetrics;
import dev.ddbreplicator.kcl.KclWorker;
import dev.ddbreplicator.kcl.config.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The KCL worker of {@code replicator-kcl}, started in this process as {@code kcl run} starts it,
 * with the settings that make KCL start quickly on DynamoDB Local. Counts come from its meters.
 */
final class KclDemoReplicator implements DemoReplicator {

    private final KclWorker worker;

    KclDemoReplicator(List<String> globalFlags, String pairId, String bucket) throws InterruptedException {
        List<String> args = new ArrayList<>(globalFlags);
        args.addAll(List.of("--pair", pairId, "--dead-letter-bucket", bucket, "--health-port", "0", "--worker-id", "demo-worker",
                "--poll-interval", "200ms", "--lease-failover", "3s", "--health-max-silence", "60s", "--shutdown-timeout", "20s"));
        this.worker = KclWorker.start(WorkerConfig.parse(args.toArray(String[]::new)));
        if (!worker.awaitRunning(Duration.ofMinutes(2))) {
            String reason = worker.health().reason().orElse("it did not start within 2 minutes");
            worker.stop();
            throw CliException.failed("the KCL worker did not start: " + reason);
        }
    }

    @Override
    public String describe() {
        return "kcl (the replicator-kcl worker, KCL 3 with the streams adapter; /health on port " + worker.healthPort() + ")";
    }

    @Override
    public long applied() {
        return (long) worker.meterRegistry().find(ReplicationMetrics.EVENTS).tag("outcome", "applied").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        worker.stop();
    }
}
