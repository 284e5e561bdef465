package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LambdaConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("DEAD_LETTER_BUCKET", "my-dlq");
        return env;
    }

    @Test
    void onlyTheRegionAndTheBucketAreNeededTheRestHasDefaults() {
        LambdaConfig config = LambdaConfig.from(minimal()::get);

        assertThat(config).isEqualTo(new LambdaConfig("us-east-1", "ddb-replicator-pairs", "us-east-1", "my-dlq", "", Optional.empty(), 32,
                "ddb-replicator-tombstones", Duration.ofSeconds(60)));
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> env = minimal();
        env.put("CONTROL_TABLE", "pairs");
        env.put("CONTROL_TABLE_REGION", "eu-central-1");
        env.put("DEAD_LETTER_PREFIX", "replication/");
        env.put("METRICS_NAMESPACE", "Team/Replication");
        env.put("WRITER_CONCURRENCY", " 64 ");
        env.put("TOMBSTONE_TABLE", "deletes");
        env.put("PAIR_CACHE_SECONDS", "5");

        assertThat(LambdaConfig.from(env::get)).isEqualTo(new LambdaConfig("us-east-1", "pairs", "eu-central-1", "my-dlq", "replication/",
                Optional.of("Team/Replication"), 64, "deletes", Duration.ofSeconds(5)));
    }

    @Test
    void metricsOffTurnsThemOff() {
        Map<String, String> env = minimal();
        env.put("METRICS_NAMESPACE", "OFF");

        assertThat(LambdaConfig.from(env::get).metricsNamespace()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AWS_REGION           |            | AWS_REGION is required",
        "AWS_REGION           | mars-1     | AWS_REGION: region 'mars-1' is not an AWS region",
        "DEAD_LETTER_BUCKET   |            | DEAD_LETTER_BUCKET is required",
        "DEAD_LETTER_BUCKET   | My_Bucket  | DEAD_LETTER_BUCKET must name an S3 bucket (3-63 of a-z 0-9 . -), got: 'My_Bucket'",
        "DEAD_LETTER_PREFIX   | dlq        | DEAD_LETTER_PREFIX must be empty or end with '/' (and not start with it), got: 'dlq'",
        "CONTROL_TABLE        | x          | CONTROL_TABLE: control table 'x' is not a DynamoDB table name",
        "CONTROL_TABLE_REGION | moon       | CONTROL_TABLE_REGION: control table region 'moon' is not an AWS region",
        "TOMBSTONE_TABLE      | a b        | TOMBSTONE_TABLE: tombstone table 'a b' is not a DynamoDB table name",
        "METRICS_NAMESPACE    | :private   | METRICS_NAMESPACE must be a CloudWatch namespace, or 'off', got: ':private'",
        "WRITER_CONCURRENCY   | lots       | WRITER_CONCURRENCY must be a whole number, got: 'lots'",
        "WRITER_CONCURRENCY   | 0          | WRITER_CONCURRENCY must be 1 to 1024, got: '0'",
        "PAIR_CACHE_SECONDS   | -1         | PAIR_CACHE_SECONDS must be 0 to 3600 seconds, got: '-1'",
    })
    void aBadVariableFailsWithOneLineThatNamesIt(String variable, String value, String message) {
        Map<String, String> env = minimal();
        env.put(variable, value);

        assertThatThrownBy(() -> LambdaConfig.from(env::get))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).variable()).isEqualTo(variable));
    }
}
