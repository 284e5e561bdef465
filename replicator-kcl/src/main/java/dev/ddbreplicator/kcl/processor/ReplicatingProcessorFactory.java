package dev.ddbreplicator.kcl.processor;

import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.kcl.health.WorkerHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/** Makes one {@link ReplicatingProcessor} per shard KCL hands this worker; they share the pair's replicator. */
public final class ReplicatingProcessorFactory implements ShardRecordProcessorFactory {

    /** Stream records that could not be read as an item change and were skipped. */
    public static final String UNMAPPABLE = "replicator.kcl.unmappable";

    private final String sourceTable;
    private final StreamRecordMapper mapper;
    private final BatchApplier applier;
    private final WorkerHealth health;
    private final StopSignal stop;
    private final Counter unmappable;

    public ReplicatingProcessorFactory(String sourceTable, StreamRecordMapper mapper, BatchApplier applier, WorkerHealth health,
                                       StopSignal stop, MeterRegistry registry, String pairId) {
        this.sourceTable = sourceTable;
        this.mapper = mapper;
        this.applier = applier;
        this.health = health;
        this.stop = stop;
        this.unmappable = Counter.builder(UNMAPPABLE).description("stream records that are no item change, skipped")
                .tag("pair", pairId).register(registry);
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new ReplicatingProcessor(sourceTable, mapper, applier, health, stop, unmappable);
    }
}
