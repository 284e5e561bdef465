package dev.ddbreplicator.kcl;

import dev.ddbreplicator.kcl.config.ConfigException;
import dev.ddbreplicator.kcl.config.Usage;
import dev.ddbreplicator.kcl.config.WorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * The worker jar's entry point: reads the settings, starts the worker, and stops it gracefully
 * on SIGTERM or Ctrl-C (the JVM then exits with 143, its status for SIGTERM). Exit status 1 when
 * the worker failed or could not start, 2 for bad settings, with a one-line reason on stderr.
 */
public final class Main {

    public static final String COMMAND = "java -jar replicator-kcl.jar";

    private Main() {
    }

    public static void main(String[] args) {
        quietLibraries();
        System.exit(run(args, System.out, System.err, COMMAND));
    }

    /**
     * Log lines with times, and only warnings from KCL and its libraries, whose information level
     * is several lines a second. Set before the first logger exists; a -D flag still wins.
     */
    private static void quietLibraries() {
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setIfAbsent("org.slf4j.simpleLogger.log.software.amazon.kinesis", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.com.amazonaws.services.dynamodbv2", "warn");
        // DynamoDB Streams shards carry no hash ranges, so KCL's check for gaps between them
        // reports an "incomplete hash range" error every few minutes that means nothing here.
        setIfAbsent("org.slf4j.simpleLogger.log.software.amazon.kinesis.coordinator.PeriodicShardSyncManager", "off");
        setIfAbsent("org.slf4j.simpleLogger.log.software.amazon.kinesis.worker.WorkerMetricsSelector", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs a worker in the foreground until the process is asked to stop; for the jar and for
     * {@code ddb-replicator kcl run}.
     *
     * @param command how the caller is invoked, for the usage text
     * @return the exit status: 0 when the worker was stopped from within the process, 1 when it failed, 2 for bad settings
     */
    public static int run(String[] args, PrintStream out, PrintStream err, String command) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(Usage.text(command));
            return 0;
        }
        KclWorker worker;
        try {
            worker = KclWorker.start(WorkerConfig.parse(args));
        } catch (ConfigException e) {
            err.println("ddb-replicator kcl: " + e.getMessage() + " (see --help)");
            return 2;
        } catch (WorkerStartException e) {
            err.println("ddb-replicator kcl: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("ddb-replicator kcl: could not start: " + e);
            return 1;
        }
        Thread hook = new Thread(worker::stop, "kcl-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!worker.awaitTermination(Duration.ofSeconds(1))) {
                // The shutdown hook or a failure ends the wait.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.stop();
        }
        if (worker.stopRequested()) {
            return 0;
        }
        err.println("ddb-replicator kcl: " + worker.health().reason().orElse("the worker stopped by itself"));
        worker.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already exiting; the hook does no harm.
        }
        return 1;
    }
}
