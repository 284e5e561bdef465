package dev.ddbreplicator.reliability;

import dev.ddbreplicator.cli.CommandRunner;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.verify.TableVerifier;
import dev.ddbreplicator.core.verify.VerifyReport;
import dev.ddbreplicator.core.verify.VerifySettings;
import dev.ddbreplicator.core.write.WriterSettings;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The embedded stack a reliability test attacks: a source region (which also holds the control
 * table), a replica region and the S3 server; clients that survive a region's restart; and the
 * two ways to prove nothing was lost: the core's {@link TableVerifier} and the command's {@code verify}.
 */
final class Stack implements AutoCloseable {

    static final String SOURCE_REGION = "us-east-1";
    static final String REPLICA_REGION = "eu-west-1";
    static final String DLQ_BUCKET = "reliability-dlq";

    final LocalRegion source;
    final LocalRegion replica;
    final LocalS3 s3;
    final AwsClients clients;

    Stack(LocalRegion source, LocalRegion replica, LocalS3 s3) {
        this.source = source;
        this.replica = replica;
        this.s3 = s3;
        this.clients = new AwsClients(AwsSettings.local(Map.of(SOURCE_REGION, source.endpoint(), REPLICA_REGION, replica.endpoint()),
                Optional.of(s3.endpoint())));
        try (S3Client client = s3.client()) {
            if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(DLQ_BUCKET))) {
                client.createBucket(b -> b.bucket(DLQ_BUCKET));
            }
        }
    }

    DynamoDbClient sourceClient() {
        return clients.dynamoDb(SOURCE_REGION);
    }

    DynamoDbClient replicaClient() {
        return clients.dynamoDb(REPLICA_REGION);
    }

    S3Client s3Client() {
        return clients.s3(SOURCE_REGION);
    }

    PairRegistry registry() {
        return new PairRegistry(sourceClient(), PairRegistry.DEFAULT_TABLE, Clock.systemUTC(), Duration.ZERO, new Retrier(RetryPolicy.CONTROL));
    }

    /** Creates a source table with a stream and its replica table, and registers the pair (ACTIVE). */
    TablePair pair(String id, String sourceTable, String replicaTable, TableShape shape) {
        TestTables.createWithStream(sourceClient(), sourceTable, shape);
        TestTables.create(replicaClient(), replicaTable, shape);
        TablePair pair = TablePair.of(id, sourceTable, SOURCE_REGION, replicaTable, REPLICA_REGION, Instant.now());
        registry().add(pair);
        return pair;
    }

    /** The global flags that point the command at this stack. */
    List<String> cliFlags() {
        return List.of("--region", SOURCE_REGION,
                "--endpoint", SOURCE_REGION + "=" + source.endpoint(),
                "--endpoint", REPLICA_REGION + "=" + replica.endpoint(),
                "--s3-endpoint", s3.endpoint().toString());
    }

    /** Runs {@code ddb-replicator <stack flags> ARGS} in this process. */
    CommandRunner.Run cli(String... args) {
        List<String> all = new ArrayList<>(cliFlags());
        all.addAll(List.of(args));
        return CommandRunner.run(all.toArray(String[]::new));
    }

    /** The core's verifier on the pair's tables, patient with changes still in flight. */
    VerifyReport verify(TablePair pair) throws InterruptedException {
        return new TableVerifier(sourceClient(), pair.sourceTable(), replicaClient(), pair.replicaTable(),
                WriterSettings.DEFAULT_VERSION_ATTRIBUTE, VerifySettings.defaults().withRecheckDelay(Duration.ofMillis(500)),
                new Retrier(RetryPolicy.CONTROL)).verify();
    }

    /** Verifies again and again until the replica is equal or the time is up; returns the last report. */
    VerifyReport awaitEqual(TablePair pair, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        VerifyReport report = null;
        while (true) {
            try {
                report = verify(pair);
                if (report.isEqual()) {
                    return report;
                }
            } catch (RuntimeException regionDown) {
                // a region is stopped for the test; try again
            }
            if (System.nanoTime() > deadline) {
                return report == null ? verify(pair) : report;
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Writes a marker item to the pair's source and waits until the replica has it: replication has then
     * caught up with everything written before (one shard, in order). False if it did not within the time.
     */
    static boolean awaitMarker(Stack stack, TablePair pair, Duration timeout) throws InterruptedException {
        String value = java.util.UUID.randomUUID().toString();
        Map<String, AttributeValue> key = new java.util.HashMap<>(Map.of("pk", AttributeValue.fromS("marker")));
        if (stack.sourceClient().describeTable(b -> b.tableName(pair.sourceTable())).table().keySchema().size() > 1) {
            key.put("sk", AttributeValue.fromN("0"));
        }
        Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.put("marker", AttributeValue.fromS(value));
        stack.sourceClient().putItem(b -> b.tableName(pair.sourceTable()).item(item));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<String, AttributeValue> seen = stack.replicaClient().getItem(b -> b.tableName(pair.replicaTable()).key(key)
                        .consistentRead(true)).item();
                if (seen != null && item.get("marker").equals(seen.get("marker"))) {
                    return true;
                }
            } catch (RuntimeException regionDown) {
                // try again
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        clients.close();
    }
}
