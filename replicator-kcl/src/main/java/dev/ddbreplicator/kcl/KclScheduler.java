package dev.ddbreplicator.kcl;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import dev.ddbreplicator.kcl.aws.KclClients;
import dev.ddbreplicator.kcl.aws.SourceStream;
import dev.ddbreplicator.kcl.config.StartPosition;
import dev.ddbreplicator.kcl.config.WorkerConfig;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.ParentsFirstShardPrioritization;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/** Every KCL setting of the worker, in one place: builds the scheduler through the streams adapter. */
final class KclScheduler {

    /** How often a child shard checks whether its parent is done; KCL's 10 s would add that much lag at every shard roll-over. */
    private static final long PARENT_SHARD_POLL_MILLIS = 1000;
    private static final long SHARD_SYNC_IDLE_MILLIS = 1000;
    /**
     * Local mode: report worker metrics every second instead of every 30 s. KCL 3 assigns leases
     * only after a worker's first report, so this is most of its start-up time against DynamoDB Local.
     */
    private static final long LOCAL_WORKER_METRICS_MILLIS = 1000;
    /**
     * Local mode: the leader's lock (only the leader assigns leases in KCL 3) expires after 10 s
     * instead of 2 minutes, so a killed leader's successor starts work soon.
     */
    private static final long LOCAL_LEADER_LOCK_MILLIS = 10_000;
    private static final long LOCAL_LEADER_HEARTBEAT_MILLIS = 2_000;

    private KclScheduler() {
    }

    static Scheduler create(WorkerConfig config, SourceStream stream, String application, String workerId, KclClients clients,
                            ShardRecordProcessorFactory processors, WorkerStateChangeListener listener) {
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(clients.streams(), Region.of(stream.region()));
        StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(stream.arn(),
                InitialPositionInStreamExtended.newInitialPosition(config.initialPosition() == StartPosition.LATEST
                        ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON));
        ConfigsBuilder configs = new ConfigsBuilder(tracker, application, adapter, clients.leases(), clients.cloudWatch(), workerId,
                processors);

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                // A child shard's records are newer than its parent's: finish parents first.
                .shardPrioritization(new ParentsFirstShardPrioritization(1))
                .parentShardPollIntervalMillis(PARENT_SHARD_POLL_MILLIS)
                .skipShardSyncAtWorkerInitializationIfLeasesExist(true)
                .workerStateChangeListener(listener);

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(config.leaseFailover().toMillis())
                // The adapter reads this before it sets its own 0, and KCL sleeps this long after
                // a shard sync: left at 60 s, the first start of a worker stalls for a minute.
                .shardSyncIntervalMillis(SHARD_SYNC_IDLE_MILLIS);
        if (config.isLocal()) {
            leases.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(LOCAL_WORKER_METRICS_MILLIS);
            leases.dynamoDbLockBasedLeaderLeaseDurationInMillis(LOCAL_LEADER_LOCK_MILLIS)
                    .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(LOCAL_LEADER_HEARTBEAT_MILLIS);
        }

        MetricsConfig metrics = new MetricsConfig(clients.cloudWatch(), config.metrics().cloudWatchNamespace().orElse(application));
        if (config.metrics().cloudWatch()) {
            metrics.metricsLevel(MetricsLevel.SUMMARY);
        } else {
            metrics.metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory());
        }

        // Empty polls reach the processor too: they are how /health knows an idle shard is alive.
        ProcessorConfig processor = configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true);

        DynamoDBStreamsPollingConfig polling = new DynamoDBStreamsPollingConfig(stream.arn(), adapter);
        polling.maxRecords(config.maxRecords());
        polling.idleTimeBetweenReadsInMillis(config.pollInterval().toMillis());
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(polling);

        return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases, configs.lifecycleConfig(), metrics,
                processor, retrieval, adapter);
    }
}
