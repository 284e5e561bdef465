package dev.ddbreplicator.kcl.config;

import dev.ddbreplicator.core.pair.Names;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the worker needs to know, read once at start and checked here: a bad value fails
 * with a {@link ConfigException} that names the setting. Build it with {@link #parse(String...)}
 * (flags and an optional file) or the canonical constructor.
 *
 * @param pairId the registered pair to replicate, or the name of an explicit pair
 * @param explicitPair the pair's tables and regions when it is not looked up in the registry
 * @param region region of the control table
 * @param applicationName KCL application name; empty derives it from the pair id
 * @param healthPort port of the HTTP endpoints; 0 picks a free one
 * @param healthMaxSilence how long a held shard may go without a successful poll or write before /health fails
 * @param endpoints endpoint overrides per region (local mode)
 * @param deadLetterRegion region of the dead-letter bucket
 * @param leaseFailover how long an unrenewed lease stays with its owner
 * @param workerId this worker's name in the lease table; empty picks one
 * @param shutdownTimeout how long a graceful stop may take
 */
public record WorkerConfig(Optional<String> pairId, Optional<ExplicitPair> explicitPair, String region, String controlTable,
                           Optional<String> applicationName, StartPosition initialPosition, int maxRecords, Duration pollInterval,
                           int writerConcurrency, int healthPort, Duration healthMaxSilence, MetricsTarget metrics,
                           Map<String, URI> endpoints, Optional<URI> s3Endpoint, String deadLetterBucket, String deadLetterPrefix,
                           String deadLetterRegion, Duration leaseFailover, Optional<String> workerId, Duration shutdownTimeout) {

    public static final String APPLICATION_PREFIX = "ddb-replicator-";
    /**
     * The least time between two polls of a shard (twice that after a poll that found nothing). It
     * bounds how far behind the replica falls (an idle shard is read every 500 ms, so a change waits
     * at most that before it is read) and how fast one shard is read (1,000 records per poll).
     * KCL's own 1 s let lag reach 2 s and held a shard to 1,000 records a second (BENCHMARKS.md).
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /** KCL appends this (the longest of its suffixes) to the application name for one of its tables. */
    private static final int KCL_TABLE_SUFFIX = "-WorkerMetricStats".length();

    public WorkerConfig {
        if (pairId.isEmpty() && explicitPair.isEmpty()) {
            throw new ConfigException(Option.PAIR, "missing; give --pair ID (a registered pair), or --source-table,"
                    + " --source-region, --replica-table and --replica-region");
        }
        pairId.ifPresent(id -> check(Option.PAIR, () -> Names.pairId(id)));
        check(Option.REGION, () -> Names.region("region", region));
        check(Option.CONTROL_TABLE, () -> Names.table("control table", controlTable));
        applicationName.ifPresent(name -> {
            check(Option.APPLICATION_NAME, () -> Names.table("application name", name));
            if (name.length() > 255 - KCL_TABLE_SUFFIX) {
                throw new ConfigException(Option.APPLICATION_NAME, "at most " + (255 - KCL_TABLE_SUFFIX)
                        + " characters (KCL adds suffixes to name its tables), got " + name.length());
            }
        });
        if (initialPosition == null) {
            throw new ConfigException(Option.INITIAL_POSITION, "missing");
        }
        range(Option.MAX_RECORDS, maxRecords, 1, 1000);
        range(Option.POLL_INTERVAL, pollInterval, Duration.ofMillis(100), Duration.ofSeconds(60));
        range(Option.WRITER_CONCURRENCY, writerConcurrency, 1, 1024);
        range(Option.HEALTH_PORT, healthPort, 0, 65535);
        range(Option.HEALTH_MAX_SILENCE, healthMaxSilence, Duration.ofSeconds(1), Duration.ofHours(1));
        // An idle shard is polled every second poll interval; leave room for one slow poll on top.
        if (healthMaxSilence.compareTo(pollInterval.multipliedBy(4)) < 0) {
            throw new ConfigException(Option.HEALTH_MAX_SILENCE, "must be at least 4 times poll-interval (" + Durations.format(pollInterval)
                    + "), or an idle worker would look stuck; got " + Durations.format(healthMaxSilence));
        }
        endpoints = Map.copyOf(new TreeMap<>(endpoints));
        endpoints.forEach((name, uri) -> {
            check(Option.ENDPOINT, () -> Names.region("endpoint region", name));
            checkUrl(Option.ENDPOINT, uri);
        });
        s3Endpoint.ifPresent(uri -> checkUrl(Option.S3_ENDPOINT, uri));
        if (deadLetterBucket == null || deadLetterBucket.isBlank()) {
            throw new ConfigException(Option.DEAD_LETTER_BUCKET, "missing; records that can never be written are kept there,"
                    + " whole, so that nothing is lost");
        }
        if (!deadLetterBucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ConfigException(Option.DEAD_LETTER_BUCKET, "'" + deadLetterBucket + "' is not an S3 bucket name"
                    + " (3-63 of a-z 0-9 . -)");
        }
        if (!deadLetterPrefix.isEmpty() && !deadLetterPrefix.endsWith("/")) {
            throw new ConfigException(Option.DEAD_LETTER_PREFIX, "must be empty or end with '/', got '" + deadLetterPrefix + "'");
        }
        check(Option.DEAD_LETTER_REGION, () -> Names.region("dead-letter region", deadLetterRegion));
        range(Option.LEASE_FAILOVER, leaseFailover, Duration.ofSeconds(1), Duration.ofMinutes(10));
        workerId.ifPresent(id -> {
            if (id.isBlank() || id.length() > 200) {
                throw new ConfigException(Option.WORKER_ID, "must be 1-200 characters");
            }
        });
        range(Option.SHUTDOWN_TIMEOUT, shutdownTimeout, Duration.ofSeconds(1), Duration.ofMinutes(30));
    }

    /** Reads flags, and the file named by {@code --config}, into a checked configuration. */
    public static WorkerConfig parse(String... args) {
        return ConfigLoader.load(args, System.getenv());
    }

    /** The pair id: the registered one, or the one an explicit pair is named by (given, or derived from its tables). */
    public String resolvedPairId() {
        return pairId.orElseGet(() -> {
            ExplicitPair p = explicitPair.orElseThrow();
            return dev.ddbreplicator.core.pair.TablePair.defaultId(p.sourceTable(), p.sourceRegion(), p.replicaTable(),
                    p.replicaRegion());
        });
    }

    /** The KCL application name: the one given, or {@code ddb-replicator-<pair id>}. */
    public String resolvedApplicationName() {
        return applicationName.orElseGet(() -> {
            String name = APPLICATION_PREFIX + resolvedPairId();
            return name.length() <= 255 - KCL_TABLE_SUFFIX ? name : name.substring(0, 255 - KCL_TABLE_SUFFIX);
        });
    }

    /** Whether endpoints are overridden: the worker then talks to local stand-ins with fixed credentials. */
    public boolean isLocal() {
        return !endpoints.isEmpty() || s3Endpoint.isPresent();
    }

    /** A copy on another health port (tests start several workers in one process). */
    public WorkerConfig withHealthPort(int port) {
        return new WorkerConfig(pairId, explicitPair, region, controlTable, applicationName, initialPosition, maxRecords, pollInterval,
                writerConcurrency, port, healthMaxSilence, metrics, endpoints, s3Endpoint, deadLetterBucket, deadLetterPrefix,
                deadLetterRegion, leaseFailover, workerId, shutdownTimeout);
    }

    /** A copy with another worker id. */
    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(pairId, explicitPair, region, controlTable, applicationName, initialPosition, maxRecords, pollInterval,
                writerConcurrency, healthPort, healthMaxSilence, metrics, endpoints, s3Endpoint, deadLetterBucket, deadLetterPrefix,
                deadLetterRegion, leaseFailover, Optional.of(id), shutdownTimeout);
    }

    private static void check(Option option, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option, e.getMessage());
        }
    }

    private static void range(Option option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(option, "must be " + min + " to " + max + ", got " + value);
        }
    }

    private static void range(Option option, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new ConfigException(option, "missing");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(option, "must be " + Durations.format(min) + " to " + Durations.format(max) + ", got "
                    + Durations.format(value));
        }
    }

    private static void checkUrl(Option option, URI uri) {
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new ConfigException(option, "'" + uri + "' is not an http(s) URL");
        }
    }
}
