package dev.ddbreplicator.kcl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private static WorkerConfig load(String... args) {
        return ConfigLoader.load(args, NO_ENV);
    }

    @Test
    void defaultsFillEverythingButThePairTheRegionAndTheBucket() {
        WorkerConfig config = load("--pair", "orders", "--region", "us-east-1", "--dead-letter-bucket", "my-dlq");

        assertThat(config.resolvedPairId()).isEqualTo("orders");
        assertThat(config.resolvedApplicationName()).isEqualTo("ddb-replicator-orders");
        assertThat(config.initialPosition()).isEqualTo(StartPosition.TRIM_HORIZON);
        assertThat(config.maxRecords()).isEqualTo(1000);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.writerConcurrency()).isEqualTo(32);
        assertThat(config.healthPort()).isEqualTo(8080);
        assertThat(config.metrics().cloudWatch()).isFalse();
        assertThat(config.controlTable()).isEqualTo("ddb-replicator-pairs");
        assertThat(config.deadLetterRegion()).isEqualTo("us-east-1");
        assertThat(config.isLocal()).isFalse();
    }

    @Test
    void flagsOverrideTheFileAndEndpointsFromBothAdd() throws IOException {
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, """
                # the worker of the orders pair
                pair = orders
                region = us-east-1
                dead-letter-bucket = my-dlq
                max-records = 500
                poll-interval = 2s
                endpoint = us-east-1=http://127.0.0.1:8000
                """);

        WorkerConfig config = load("--config", file.toString(), "--max-records", "100", "--endpoint", "eu-west-1=http://127.0.0.1:8001");

        assertThat(config.maxRecords()).isEqualTo(100);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.endpoints()).containsOnly(
                Map.entry("us-east-1", URI.create("http://127.0.0.1:8000")),
                Map.entry("eu-west-1", URI.create("http://127.0.0.1:8001")));
        assertThat(config.isLocal()).isTrue();
    }

    @Test
    void aFlatYamlFileReadsToo() throws IOException {
        Path file = dir.resolve("worker.yaml");
        Files.writeString(file, """
                pair: "orders"
                region: us-east-1
                dead-letter-bucket: 'my-dlq'
                metrics: cloudwatch:DdbReplicator
                initial-position: latest
                """);

        WorkerConfig config = load("--config", file.toString());

        assertThat(config.pairId()).contains("orders");
        assertThat(config.deadLetterBucket()).isEqualTo("my-dlq");
        assertThat(config.metrics().cloudWatchNamespace()).contains("DdbReplicator");
        assertThat(config.initialPosition()).isEqualTo(StartPosition.LATEST);
    }

    @Test
    void anExplicitPairNeedsAllFourTablesAndRegionsAndNamesItself() {
        WorkerConfig config = load("--source-table", "orders", "--source-region", "us-east-1", "--replica-table", "orders",
                "--replica-region", "eu-west-1", "--dead-letter-bucket", "my-dlq");

        assertThat(config.region()).as("control table next to the source").isEqualTo("us-east-1");
        assertThat(config.resolvedPairId()).isEqualTo("orders.us-east-1-to-orders.eu-west-1");
        assertThatThrownBy(() -> load("--source-table", "orders", "--source-region", "us-east-1", "--replica-table", "orders",
                "--dead-letter-bucket", "my-dlq"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("replica-region: missing");
    }

    @Test
    void theRegionComesFromTheEnvironmentWhenNotGiven() {
        WorkerConfig config = ConfigLoader.load(new String[] {"--pair", "orders", "--dead-letter-bucket", "my-dlq"},
                Map.of("AWS_REGION", "eu-central-1"));

        assertThat(config.region()).isEqualTo("eu-central-1");
    }

    @Test
    void everyBadSettingIsNamedInOneLine() {
        String[] base = {"--pair", "orders", "--region", "us-east-1", "--dead-letter-bucket", "my-dlq"};
        assertBad(new String[] {"--region", "us-east-1", "--dead-letter-bucket", "my-dlq"}, "pair: missing");
        assertBad(new String[] {"--pair", "orders", "--dead-letter-bucket", "my-dlq"}, "region: missing");
        assertBad(new String[] {"--pair", "orders", "--region", "us-east-1"}, "dead-letter-bucket: missing");
        assertBad(new String[] {"--pair", "-bad id", "--region", "us-east-1", "--dead-letter-bucket", "my-dlq"}, "pair: pair id '-bad id'");
        assertBad(new String[] {"--pair", "orders", "--region", "mars-1", "--dead-letter-bucket", "my-dlq"}, "region: region 'mars-1'");
        assertBad(with(base, "--pair", "again"), "pair: given twice");
        assertBad(with(base, "--max-records", "5000"), "max-records: must be 1 to 1000, got 5000");
        assertBad(with(base, "--max-records", "many"), "max-records: expected a whole number");
        assertBad(with(base, "--poll-interval", "10"), "poll-interval: expected a duration");
        assertBad(with(base, "--poll-interval", "10ms"), "poll-interval: must be 100ms to 1m");
        assertBad(with(base, "--writer-concurrency", "0"), "writer-concurrency: must be 1 to 1024");
        assertBad(with(base, "--health-port", "70000"), "health-port: must be 0 to 65535");
        assertBad(with(base, "--poll-interval", "1s", "--health-max-silence", "2s"), "health-max-silence: must be at least 4 times poll-interval");
        assertBad(with(base, "--initial-position", "AT_TIMESTAMP"), "initial-position: expected TRIM_HORIZON or LATEST");
        assertBad(with(base, "--metrics", "prometheus"), "metrics: expected 'off' or 'cloudwatch:NAMESPACE'");
        assertBad(with(base, "--metrics", "cloudwatch:AWS/DynamoDB"), "metrics: ");
        assertBad(with(base, "--endpoint", "http://127.0.0.1:8000"), "endpoint: expected REGION=URL");
        assertBad(with(base, "--endpoint", "us-east-1=ftp://x"), "endpoint: ");
        assertBad(with(base, "--s3-endpoint", "nope"), "s3-endpoint: ");
        assertBad(with(base, "--dead-letter-bucket", "My_Bucket"), "dead-letter-bucket: ");
        assertBad(with(base, "--dead-letter-prefix", "dlq"), "dead-letter-prefix: must be empty or end with '/'");
        assertBad(with(base, "--lease-failover", "500ms"), "lease-failover: ");
        assertBad(with(base, "--application-name", "x"), "application-name: ");
        assertBad(with(base, "--replica-role-arn", "arn:aws:iam::123456789012:role/r"), "replica-role-arn: only for an explicit pair");
        assertBad(with(base, "--max-record", "5"), "--max-record: unknown option");
        assertBad(with(base, "--pair"), "pair: needs a value");
        assertBad(with(base, "orders"), "orders: unexpected argument");
        assertBad(with(base, "--config", dir.resolve("missing.properties").toString()), "config: cannot read");
    }

    @Test
    void anUnknownKeyInTheFileIsAnError() throws IOException {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "pair = orders\nregion = us-east-1\ndead-letter-bucket = my-dlq\nmax-record = 5\n");

        assertThatThrownBy(() -> load("--config", file.toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("max-record: unknown setting in " + file);
    }

    @Test
    void theHelpExplainsEveryOption() {
        String help = Usage.text("java -jar replicator-kcl.jar");

        for (Option option : Option.values()) {
            assertThat(help).contains("--" + option.key() + " " + option.placeholder());
        }
        assertThat(help).contains("exit status");
    }

    private static void assertBad(String[] args, String message) {
        assertThatThrownBy(() -> load(args))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
