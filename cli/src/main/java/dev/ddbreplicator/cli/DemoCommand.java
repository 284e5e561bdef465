package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.aws.ReplicatorSettings;
import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.aws.StreamRecordMapper;
import dev.ddbreplicator.core.deadletter.S3DeadLetterStore;
import dev.ddbreplicator.core.model.ChangeEvent;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.core.status.StatusStore;
import dev.ddbreplicator.core.write.BatchResult;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.WriteOutcome;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.StreamReader;
import dev.ddbreplicator.testkit.TableComparer;
import dev.ddbreplicator.testkit.TableDiff;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import dev.ddbreplicator.testkit.Workload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo on the embedded stack: two DynamoDB Local regions and an S3 server in this process,
 * a mixed workload on a master table, its real stream replicated through the core, and a check
 * that master and replica hold the same items.
 */
final class DemoCommand {

    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        int items = 5000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--items") && i + 1 < args.length) {
                try {
                    items = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    err.println("ddb-replicator demo: --items must be a whole number, got '" + args[i] + "'");
                    return 2;
                }
            } else if (args[i].equals("--help")) {
                out.println("usage: ddb-replicator demo [--items N]   (default 5000 changes)");
                return 0;
            } else {
                err.println("ddb-replicator demo: unknown option '" + args[i] + "'; try --help");
                return 2;
            }
        }
        if (items < 1) {
            err.println("ddb-replicator demo: --items must be at least 1");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (LocalRegion east = LocalRegion.inMemory("us-east-1");
             LocalRegion west = LocalRegion.inMemory("eu-west-1");
             LocalS3 s3 = LocalS3.inMemory();
             AwsClients clients = new AwsClients(AwsSettings.local(
                     Map.of("us-east-1", east.endpoint(), "eu-west-1", west.endpoint()), Optional.of(s3.endpoint())))) {
            out.printf("embedded stack: us-east-1 %s, eu-west-1 %s, s3 %s%n", east.endpoint(), west.endpoint(), s3.endpoint());
            TestTables.createWithStream(clients.dynamoDb("us-east-1"), "Orders", TableShape.HASH_AND_RANGE);
            TestTables.create(clients.dynamoDb("eu-west-1"), "Orders", TableShape.HASH_AND_RANGE);
            clients.s3("us-east-1").createBucket(b -> b.bucket("ddb-replicator-demo"));
            PairRegistry registry = new PairRegistry(clients.dynamoDb("us-east-1"), PairRegistry.DEFAULT_TABLE, clock,
                    PairRegistry.DEFAULT_CACHE, new Retrier(RetryPolicy.CONTROL));
            TablePair pair = TablePair.of("orders-eu", "Orders", "us-east-1", "Orders", "eu-west-1", clock.instant());
            registry.add(pair);
            out.println("registered pair " + pair);

            long started = System.nanoTime();
            long done = Workload.mixed(TableShape.HASH_AND_RANGE, Math.max(10, items / 3), 1).run(clients.dynamoDb("us-east-1"), "Orders", items, 4);
            out.printf("wrote %d changes to us-east-1/Orders in %.1fs%n", done, (System.nanoTime() - started) / 1e9);

            StreamRecordMapper mapper = new StreamRecordMapper(clock);
            List<ChangeEvent> events = new StreamReader(clients.streams("us-east-1"))
                    .readAll(StreamReader.streamArn(clients.dynamoDb("us-east-1"), "Orders")).stream()
                    .map(r -> mapper.map(r, "Orders")).toList();
            Replicators replicators = new Replicators(clients, ReplicatorSettings.defaults(),
                    new S3DeadLetterStore(clients.s3("us-east-1"), "ddb-replicator-demo", "", new Retrier(RetryPolicy.CONTROL)),
                    new SimpleMeterRegistry(), clock, Optional.of(new StatusStore(clients.dynamoDb("us-east-1"), PairRegistry.DEFAULT_TABLE)));
            started = System.nanoTime();
            try (PairReplicator replicator = replicators.create(pair)) {
                for (int i = 0; i < events.size(); ) {
                    List<ChangeEvent> batch = events.subList(i, Math.min(events.size(), i + 1000));
                    BatchResult result = replicator.apply(batch);
                    int finished = result.firstRetryableFailure().map(f -> result.outcomes().indexOf(f)).orElse(batch.size());
                    i += finished;
                    out.printf("replicated %d/%d stream records%n", i, events.size());
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("applied %.0f, stale %.0f, poison %.0f in %.1fs (%.0f records/s)%n",
                        replicator.metrics().count(WriteOutcome.APPLIED), replicator.metrics().count(WriteOutcome.STALE),
                        replicator.metrics().count(WriteOutcome.POISON), seconds, events.size() / seconds);
            }

            TableDiff diff = new TableComparer(Set.of(pair.versionAttribute()))
                    .compare(clients.dynamoDb("us-east-1"), "Orders", clients.dynamoDb("eu-west-1"), "Orders");
            out.println("verify: " + diff);
            if (!diff.isEqual()) {
                err.println("ddb-replicator demo: replica differs from master");
                return 1;
            }
            out.printf("OK: master and replica hold the same %d items%n", diff.sourceItems());
            return 0;
        } catch (RuntimeException e) {
            err.println("ddb-replicator demo: " + e.getMessage());
            return 1;
        }
    }
}
