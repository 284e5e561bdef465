package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 8: {@code kcl run} hands the pair, region and endpoints to the KCL worker and reports its refusals. */
class KclRunCommandTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    private static final Cli CLI = new Cli(AWS, S3);

    @Test
    void anUnknownPairIsBadInputFromTheWorkerItself() {
        try (var clients = CLI.clients()) {
            TestTables.createWithStream(clients.dynamoDb("us-east-1"), "kcl-source", TableShape.HASH_ONLY);
        }
        assertThat(CLI.run("pairs", "add", "--source-table", "kcl-source", "--source-region", "us-east-1", "--replica-table", "kcl-source",
                "--replica-region", "eu-west-1", "--create-replica", "--id", "known").code()).isZero();

        Cli.Run run = CLI.run("kcl", "run", "--pair", "nobody", "--dead-letter-bucket", "dlq-bucket", "--health-port", "0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no pair 'nobody'");
    }

    @Test
    void theWorkerGetsThePairTheRegionTheEndpointsAndTheDeadLetterBucketFromTheEnvironment() {
        GlobalOptions options = new GlobalOptions();
        options.local = true;
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Environment env = new Environment(options, Map.of(DlqOptions.BUCKET_VARIABLE, "my-dlq"), new Output(sink, sink, false), Clock.systemUTC());
        List<String> args = KclRunCommand.workerArgs(env, "orders", List.of("--health-port", "9090"));
        assertThat(String.join(" ", args)).isEqualTo("--pair orders --region us-east-1 --endpoint us-east-1=http://127.0.0.1:8000 "
                + "--endpoint eu-west-1=http://127.0.0.1:8001 --s3-endpoint http://127.0.0.1:9000 --dead-letter-bucket my-dlq --health-port 9090");
        assertThat(KclRunCommand.workerArgs(env, "orders", List.of("--dead-letter-bucket", "other"))).containsOnlyOnce("--dead-letter-bucket");
    }

    @Test
    void missingPairIsBadUsageAndHelpListsTheWorkerOptions() {
        assertThat(Cli.raw("kcl", "run").code()).isEqualTo(2);
        Cli.Run help = Cli.raw("kcl", "run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Worker options:").contains("--lease-failover").contains("--dead-letter-bucket");
    }
}
