package dev.ddbreplicator.kcl.it;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One registered pair on the embedded stack, as the worker tests need it: a source table with a
 * stream in one local region, a replica table in another, the dead-letter bucket, the pair in the
 * control table (in the source region), and the worker flags that point at all of it.
 */
final class LocalPair implements AutoCloseable {

    static final String SOURCE = "orders";
    static final String REPLICA = "orders-replica";
    static final String BUCKET = "dlq";
    static final TableShape SHAPE = TableShape.HASH_AND_RANGE;

    final LocalRegion source;
    final LocalRegion replica;
    final LocalS3 s3;
    final String pairId;
    private final AwsClients clients;

    LocalPair(LocalRegion source, LocalRegion replica, LocalS3 s3, String pairId) {
        this.source = source;
        this.replica = replica;
        this.s3 = s3;
        this.pairId = pairId;
        this.clients = new AwsClients(AwsSettings.local(Map.of(source.name(), source.endpoint(), replica.name(), replica.endpoint()),
                Optional.of(s3.endpoint())));
    }

    /** Creates the tables and the bucket and registers the pair. */
    LocalPair create() {
        TestTables.createWithStream(sourceClient(), SOURCE, SHAPE);
        TestTables.create(replicaClient(), REPLICA, SHAPE);
        try (var client = s3.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        registry().add(TablePair.of(pairId, SOURCE, source.name(), REPLICA, replica.name(), Instant.now()));
        return this;
    }

    PairRegistry registry() {
        return new PairRegistry(sourceClient(), PairRegistry.DEFAULT_TABLE, Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
    }

    /** Flags for a worker of this pair, quick to start and to notice trouble, on the given health port. */
    List<String> workerArgs(int healthPort, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--pair", pairId,
                "--region", source.name(),
                "--endpoint", source.name() + "=" + source.endpoint(),
                "--endpoint", replica.name() + "=" + replica.endpoint(),
                "--s3-endpoint", s3.endpoint().toString(),
                "--dead-letter-bucket", BUCKET,
                "--health-port", Integer.toString(healthPort),
                "--poll-interval", "200ms",
                "--health-max-silence", "10s",
                "--lease-failover", "3s",
                "--shutdown-timeout", "30s"));
        args.addAll(List.of(extra));
        return args;
    }

    DynamoDbClient sourceClient() {
        return clients.dynamoDb(source.name());
    }

    DynamoDbClient replicaClient() {
        return clients.dynamoDb(replica.name());
    }

    TableDiff diff() {
        return new TableComparer(Set.of("_rv")).compare(sourceClient(), SOURCE, replicaClient(), REPLICA);
    }

    /** Waits until the replica equals the source; returns the last comparison either way. */
    TableDiff awaitEqual(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TableDiff diff = null;
        while (System.nanoTime() < deadline) {
            try {
                diff = diff();
                if (diff.isEqual()) {
                    return diff;
                }
            } catch (RuntimeException regionDown) {
                // A region is stopped for the test; try again.
            }
            Thread.sleep(1000);
        }
        return diff == null ? diff() : diff;
    }

    @Override
    public void close() {
        clients.close();
    }
}
