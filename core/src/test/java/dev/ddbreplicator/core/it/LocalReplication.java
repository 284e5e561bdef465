package dev.ddbreplicator.core.it;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.StreamReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Wires the real replication path against local regions, as a runtime would, for the core's tests. */
final class LocalReplication implements AutoCloseable {

    static final Clock CLOCK = Clock.systemUTC();

    final LocalRegion source;
    final LocalRegion replica;
    final AwsClients clients;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    LocalReplication(LocalRegion source, LocalRegion replica, Optional<URI> s3, ExecutionInterceptor... interceptors) {
        this.source = source;
        this.replica = replica;
        this.clients = new AwsClients(AwsSettings.local(Map.of(source.name(), source.endpoint(), replica.name(), replica.endpoint()), s3)
                .withInterceptors(interceptors));
    }

    TablePair pair(String id, String sourceTable, String replicaTable) {
        return TablePair.of(id, sourceTable, source.name(), replicaTable, replica.name(), Instant.now());
    }

    PairReplicator replicator(TablePair pair, DeadLetterStore deadLetters) {
        return replicators(deadLetters).create(pair);
    }

    Replicators replicators(DeadLetterStore deadLetters) {
        return new Replicators(clients, ReplicatorSettings.defaults(), deadLetters, registry, CLOCK, Optional.empty());
    }

    DynamoDbClient sourceClient() {
        return clients.dynamoDb(source.name());
    }

    DynamoDbClient replicaClient() {
        return clients.dynamoDb(replica.name());
    }

    /** Every change in the source table's stream, as change events, in stream order. */
    List<ChangeEvent> streamEvents(String table) {
        DynamoDbStreamsClient streams = clients.streams(source.name());
        StreamRecordMapper mapper = new StreamRecordMapper(CLOCK);
        return new StreamReader(streams).readAll(StreamReader.streamArn(sourceClient(), table)).stream()
                .map(r -> mapper.map(r, table))
                .toList();
    }

    /** Applies events in batches as a runtime does: a batch that is not complete is retried from its first failure. */
    static long applyLikeARuntime(PairReplicator replicator, List<ChangeEvent> events, int batchSize) {
        long attempts = 0;
        for (int start = 0; start < events.size(); ) {
            List<ChangeEvent> batch = events.subList(start, Math.min(events.size(), start + batchSize));
            BatchResult result = replicator.apply(batch);
            attempts++;
            int failedAt = result.firstRetryableFailure().map(f -> result.outcomes().indexOf(f)).orElse(batch.size());
            start += failedAt;
            if (attempts > 100_000) {
                throw new IllegalStateException("replication makes no progress: " + result.firstRetryableFailure());
            }
        }
        return attempts;
    }

    List<Map<String, AttributeValue>> replicaItems(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        replicaClient().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    @Override
    public void close() {
        clients.close();
    }
}
