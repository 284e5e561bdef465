package dev.ddbreplicator.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.core.pair.PairRegistry;
import dev.ddbreplicator.core.pair.TablePair;
import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.kcl.config.Option;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jar's command line: help, and a one-line reason with the right exit status for everything that stops a start. */
class MainTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1");

    private static AwsClients clients;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void tables() {
        clients = new AwsClients(AwsSettings.local(Map.of("us-east-1", AWS.source().endpoint(), "eu-west-1", AWS.replica().endpoint()),
                Optional.empty()));
        TestTables.create(clients.dynamoDb("us-east-1"), "no-stream", TableShape.HASH_ONLY);
        TestTables.createWithStream(clients.dynamoDb("us-east-1"), "orders", TableShape.HASH_ONLY);
        TestTables.create(clients.dynamoDb("eu-west-1"), "orders", TableShape.HASH_ONLY);
        PairRegistry registry = new PairRegistry(clients.dynamoDb("us-east-1"), PairRegistry.DEFAULT_TABLE, Clock.systemUTC(), Duration.ZERO,
                new Retrier(RetryPolicy.CONTROL));
        registry.add(TablePair.of("no-stream", "no-stream", "us-east-1", "orders", "eu-west-1", Instant.now()));
        registry.add(TablePair.of("orders", "orders", "us-east-1", "orders", "eu-west-1", Instant.now()));
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Main.COMMAND);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String[] local(String... more) {
        List<String> args = new ArrayList<>(List.of("--region", "us-east-1", "--dead-letter-bucket", "dlq",
                "--endpoint", "us-east-1=" + AWS.source().endpoint(), "--endpoint", "eu-west-1=" + AWS.replica().endpoint()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void helpExplainsEveryOptionAndExitsZero() {
        assertThat(run("--help")).isZero();

        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).startsWith("usage: java -jar replicator-kcl.jar");
        for (Option option : Option.values()) {
            assertThat(help).contains("--" + option.key());
        }
    }

    @Test
    void aBadSettingExitsTwoWithOneLineNamingIt() {
        assertThat(run(local("--pair", "orders", "--max-records", "0"))).isEqualTo(2);

        assertThat(err()).isEqualTo("ddb-replicator kcl: max-records: must be 1 to 1000, got 0 (see --help)" + System.lineSeparator());
    }

    @Test
    void aPairThatIsNotRegisteredExitsTwo() {
        assertThat(run(local("--pair", "nope"))).isEqualTo(2);

        assertThat(err()).startsWith("ddb-replicator kcl: pair: no pair 'nope' is registered in ddb-replicator-pairs (us-east-1)")
                .hasLineCount(1);
    }

    @Test
    void aSourceWithoutAStreamExitsOneAndSaysHowToTurnItOn() {
        assertThat(run(local("--pair", "no-stream"))).isEqualTo(1);

        assertThat(err()).contains("source table no-stream in us-east-1 has no stream")
                .contains("ddb-replicator streams enable --table no-stream").hasLineCount(1);
    }

    @Test
    void aHealthPortInUseExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));

            assertThat(run(local("--pair", "orders", "--health-port", Integer.toString(taken.getLocalPort())))).isEqualTo(1);
        }
        assertThat(err()).contains("health-port: cannot serve the HTTP endpoints").hasLineCount(1);
    }
}
