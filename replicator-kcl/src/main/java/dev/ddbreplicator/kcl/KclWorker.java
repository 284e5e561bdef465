package dev.ddbreplicator.kcl;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.DynamoDbReplicaStore;
import dev.ddbreplicator.kcl.aws.KclClients;
import dev.ddbreplicator.kcl.aws.LocalStreamArnInterceptor;
import dev.ddbreplicator.kcl.aws.ReplicaKeys;
import dev.ddbreplicator.kcl.aws.SourceStream;
import dev.ddbreplicator.kcl.config.ConfigException;
import dev.ddbreplicator.kcl.config.ExplicitPair;
import dev.ddbreplicator.kcl.config.Option;
import dev.ddbreplicator.kcl.config.WorkerConfig;
import dev.ddbreplicator.kcl.health.HealthReport;
import dev.ddbreplicator.kcl.health.HealthServer;
import dev.ddbreplicator.kcl.health.WorkerHealth;
import dev.ddbreplicator.kcl.health.WorkerState;
import dev.ddbreplicator.kcl.processor.BatchApplier;
import dev.ddbreplicator.kcl.processor.PairReplicatorSource;
import dev.ddbreplicator.kcl.processor.ReplicatingProcessorFactory;
import dev.ddbreplicator.kcl.processor.StopSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.Lease;

/**
 * A running KCL worker for one table pair: the wiring of the KCL runtime, and the handle to it.
 * {@link #start(WorkerConfig)} returns once the HTTP endpoints answer and KCL is initializing in
 * its own thread; {@link #awaitRunning(Duration)} waits for KCL to be up, {@link #stop()} stops
 * gracefully (batches in flight finish and are checkpointed). The jar's {@link Main} and the
 * operator command's {@code kcl run} both use this class.
 */
public final class KclWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KclWorker.class);
    /** KCL's first start creates its tables and waits up to 30 s on purpose; on real DynamoDB an index takes minutes. */
    private static final Duration STARTUP_GRACE = Duration.ofMinutes(10);
    private static final Duration PAIR_CHECK = Duration.ofSeconds(10);
    /**
     * Keys per slice of a batch for each key the writer writes at once: enough for every writer
     * thread to put a full group of inserts in one call (the replica store's transactions take
     * 25), small enough to show progress. A default batch of 1,000 is one slice.
     */
    private static final int KEYS_PER_WRITER = DynamoDbReplicaStore.NEW_ITEMS_PER_TRANSACTION;

    private final WorkerConfig config;
    private final TablePair pair;
    private final String application;
    private final String workerId;
    private final WorkerHealth health;
    private final HealthServer server;
    private final WorkerMeters meters;
    private final StopSignal stop;
    private final Scheduler scheduler;
    private final Thread schedulerThread;
    private final Deque<AutoCloseable> resources;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopRequested;

    private KclWorker(WorkerConfig config, TablePair pair, String application, String workerId, WorkerHealth health, HealthServer server,
                      WorkerMeters meters, StopSignal stop, Scheduler scheduler, Deque<AutoCloseable> resources) {
        this.config = config;
        this.pair = pair;
        this.application = application;
        this.workerId = workerId;
        this.health = health;
        this.server = server;
        this.meters = meters;
        this.stop = stop;
        this.scheduler = scheduler;
        this.resources = resources;
        this.schedulerThread = new Thread(this::runScheduler, "kcl-scheduler-" + pair.id());
    }

    /** Starts a worker with the system clock. */
    public static KclWorker start(WorkerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts a worker: looks the pair up, checks its stream, opens the HTTP endpoints and starts KCL.
     *
     * @throws ConfigException when a setting is wrong (e.g. the pair is not registered): exit status 2
     * @throws WorkerStartException when something outside the settings prevents the start: exit status 1
     */
    public static KclWorker start(WorkerConfig config, Clock clock) {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            AwsSettings aws = awsSettings(config);
            AwsClients clients = push(resources, new AwsClients(aws));
            DynamoDbClient control = clients.dynamoDb(config.region());
            PairRegistry registry = new PairRegistry(control, config.controlTable(), clock, PairRegistry.DEFAULT_CACHE,
                    new Retrier(RetryPolicy.CONTROL));
            TablePair pair = resolvePair(config, registry, clock);
            SourceStream stream = SourceStream.describe(clients.dynamoDb(pair.sourceRegion()), pair.sourceTable(), pair.sourceRegion(),
                    config.isLocal());
            // Issue 7: a replica keyed differently was accepted, and every change then went to the dead-letter bucket.
            ReplicaKeys.requireSameAsSource(clients.dynamoDb(pair.sourceRegion()), clients.dynamoDb(pair.replicaRegion(),
                    pair.replicaRoleArn()), pair, config.explicitPair().isPresent());
            KclClients kclClients = push(resources, new KclClients(clients, pair.sourceRegion(), config.isLocal()));
            WorkerMeters meters = push(resources, new WorkerMeters(config.metrics(), kclClients.cloudWatch()));

            Replicators replicators = new Replicators(clients,
                    ReplicatorSettings.defaults().withConcurrency(config.writerConcurrency()),
                    new S3DeadLetterStore(clients.s3(config.deadLetterRegion()), config.deadLetterBucket(), config.deadLetterPrefix(),
                            new Retrier(RetryPolicy.CONTROL)),
                    meters.registry(), clock, statusStore(control, config));
            Optional<PairReplicatorSource.PairLookup> lookup = config.explicitPair().isPresent()
                    ? Optional.empty() : Optional.of(registry::get);
            PairReplicatorSource replicator = push(resources,
                    new PairReplicatorSource(pair, replicators::create, lookup, clock, PAIR_CHECK));

            String application = config.resolvedApplicationName();
            String workerId = config.workerId().orElseGet(KclWorker::defaultWorkerId);
            WorkerHealth health = new WorkerHealth(pair.id(), application, workerId, clock, config.healthMaxSilence(), STARTUP_GRACE);
            health.lagFrom(() -> replicator.current().metrics().lastLagMillis());
            HealthServer server = push(resources, startServer(config, health, meters));

            StopSignal stop = new StopSignal();
            ReplicatingProcessorFactory processors = new ReplicatingProcessorFactory(pair.sourceTable(), new StreamRecordMapper(clock),
                    new BatchApplier(replicator, KEYS_PER_WRITER * config.writerConcurrency(), stop, clock), health, stop,
                    meters.registry(), pair.id());
            Scheduler scheduler = KclScheduler.create(config, stream, application, workerId, kclClients, processors, listener(health));
            health.leasesFrom(() -> leaseKeys(scheduler));
            Gauge.builder("replicator.kcl.leases", health, h -> h.report().leases().size())
                    .description("leases (shards) this worker holds").tag("pair", pair.id()).register(meters.registry());

            KclWorker worker = new KclWorker(config, pair, application, workerId, health, server, meters, stop, scheduler, resources);
            log.info("replicating {} as worker {} of KCL application {} from stream {}; endpoints on port {}", pair, workerId, application,
                    stream.arn(), server.port());
            worker.schedulerThread.start();
            return worker;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static AwsSettings awsSettings(WorkerConfig config) {
        AwsSettings settings = config.isLocal() ? AwsSettings.local(config.endpoints(), config.s3Endpoint()) : AwsSettings.defaults();
        settings = settings.withMaxConnections(Math.max(64, config.writerConcurrency() * 2));
        if (!config.endpoints().isEmpty()) {
            settings = settings.withInterceptors(new LocalStreamArnInterceptor());
        }
        return settings;
    }

    private static TablePair resolvePair(WorkerConfig config, PairRegistry registry, Clock clock) {
        if (config.explicitPair().isPresent()) {
            ExplicitPair p = config.explicitPair().get();
            TablePair pair = TablePair.of(config.resolvedPairId(), p.sourceTable(), p.sourceRegion(), p.replicaTable(), p.replicaRegion(),
                    clock.instant());
            return p.replicaRoleArn().isEmpty() ? pair
                    : pair.withSettings(p.replicaRoleArn(), pair.versionAttribute(), pair.ttlDeletes());
        }
        String id = config.pairId().orElseThrow();
        Optional<TablePair> registered;
        try {
            registered = registry.get(id);
        } catch (RuntimeException e) {
            throw new WorkerStartException("cannot read the control table " + config.controlTable() + " in " + config.region() + ": "
                    + e.getMessage(), e);
        }
        return registered.orElseThrow(() -> new ConfigException(Option.PAIR, "no pair '" + id + "' is registered in "
                + config.controlTable() + " (" + config.region() + "); see 'ddb-replicator pairs list'"));
    }

    /** Status goes to the control table when there is one; an explicit pair may run without. */
    private static Optional<StatusStore> statusStore(DynamoDbClient control, WorkerConfig config) {
        try {
            new Retrier(RetryPolicy.CONTROL).callUnchecked(() -> control.describeTable(b -> b.tableName(config.controlTable())),
                    Retrier.Listener.NONE);
            return Optional.of(new StatusStore(control, config.controlTable()));
        } catch (ResourceNotFoundException e) {
            log.info("no control table {} in {}: pair status is not reported", config.controlTable(), config.region());
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new WorkerStartException("cannot reach the control table " + config.controlTable() + " in " + config.region() + ": "
                    + e.getMessage(), e);
        }
    }

    private static HealthServer startServer(WorkerConfig config, WorkerHealth health, WorkerMeters meters) {
        try {
            return HealthServer.start(config.healthPort(), health, meters.prometheus());
        } catch (IOException e) {
            throw new WorkerStartException(Option.HEALTH_PORT.key() + ": cannot serve the HTTP endpoints: " + e.getMessage(), e);
        }
    }

    private static WorkerStateChangeListener listener(WorkerHealth health) {
        return new WorkerStateChangeListener() {
            @Override
            public void onWorkerStateChange(WorkerStateChangeListener.WorkerState newState) {
                switch (newState) {
                    // Inside the listener, WorkerState means KCL's; ours is spelled out.
                    case STARTED -> health.state(dev.ddbreplicator.kcl.health.WorkerState.RUNNING);
                    case SHUT_DOWN_STARTED -> health.state(dev.ddbreplicator.kcl.health.WorkerState.STOPPING);
                    default -> { }
                }
            }

            @Override
            public void onAllInitializationAttemptsFailed(Throwable e) {
                health.failed("KCL could not initialize: " + e);
            }
        };
    }

    private static List<String> leaseKeys(Scheduler scheduler) {
        var coordinator = scheduler.leaseCoordinator();
        if (coordinator == null) {
            return List.of();
        }
        return coordinator.getAssignments().stream().map(Lease::leaseKey).sorted().toList();
    }

    /**
     * The host name: stable across restarts, so a worker restarted by its supervisor finds the
     * leases it held under that name and goes on at once instead of waiting for them to expire.
     */
    private static String defaultWorkerId() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    private void runScheduler() {
        try {
            scheduler.run();
        } catch (RuntimeException | Error e) {
            health.failed("the KCL scheduler ended with " + e);
        } finally {
            if (!stopRequested && health.state() != WorkerState.FAILED) {
                health.failed("the KCL scheduler ended by itself");
            }
            terminated.countDown();
        }
    }

    /** Waits until KCL has initialized and takes leases; false if it did not within the time, or failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            WorkerState state = health.state();
            if (state == WorkerState.RUNNING) {
                return true;
            }
            if (state == WorkerState.FAILED || state == WorkerState.STOPPED) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The worker's health, as {@code /health} answers it. */
    public HealthReport health() {
        return health.report();
    }

    public WorkerState state() {
        return health.state();
    }

    /** The port the HTTP endpoints listen on. */
    public int healthPort() {
        return server.port();
    }

    public TablePair pair() {
        return pair;
    }

    public String applicationName() {
        return application;
    }

    public String workerId() {
        return workerId;
    }

    /** Where the worker's meters live (the same that {@code /metrics} shows). */
    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    /**
     * Stops gracefully and waits for it: no new leases are taken, the batch in flight on each
     * shard finishes and is checkpointed (a batch that keeps failing is given up unwritten, and
     * not checkpointed), leases are released, then everything is closed. Waits at most the
     * configured shutdown timeout for KCL; safe to call more than once.
     */
    public void stop() {
        synchronized (this) {
            if (stopRequested) {
                awaitQuietly();
                return;
            }
            stopRequested = true;
        }
        log.info("stopping worker {} of {}", workerId, application);
        health.state(WorkerState.STOPPING);
        stop.stop();
        Duration timeout = config.shutdownTimeout();
        try {
            if (schedulerThread.isAlive()) {
                boolean clean = scheduler.startGracefulShutdown().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!clean) {
                    log.warn("KCL's graceful shutdown ended early; stopping the scheduler");
                }
            }
        } catch (TimeoutException e) {
            log.warn("batches still in flight after {} s; stopping without waiting for them (they are not checkpointed)", timeout.toSeconds());
        } catch (ExecutionException e) {
            log.warn("KCL's graceful shutdown failed ({}); stopping the scheduler", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!scheduler.shutdownComplete()) {
                scheduler.shutdown();
            }
            try {
                schedulerThread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeAll(resources);
            health.state(WorkerState.STOPPED);
            terminated.countDown();
            log.info("worker {} of {} stopped", workerId, application);
        }
    }

    /** Waits until the worker has stopped, or its scheduler ended by itself; true if it did within the time. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a stop was requested (as opposed to the scheduler ending by itself). */
    public boolean stopRequested() {
        return stopRequested;
    }

    private void awaitQuietly() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
