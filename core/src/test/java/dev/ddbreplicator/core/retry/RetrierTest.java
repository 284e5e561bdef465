package dev.ddbreplicator.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class RetrierTest {

    private final List<Duration> waits = new ArrayList<>();

    @Test
    void backoffDoublesUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(700));

        assertThat(List.of(policy.ceiling(1), policy.ceiling(2), policy.ceiling(3), policy.ceiling(4), policy.ceiling(40)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(700),
                        Duration.ofMillis(700));
    }

    @Test
    void retriesTransientErrorsAndWaitsWithJitterBelowTheCeiling() throws Exception {
        Retrier retrier = new Retrier(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1)), waits::add, bound -> bound / 2);
        AtomicInteger calls = new AtomicInteger();

        String result = retrier.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw SdkClientException.create("connection refused");
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void defaultJitterStaysWithinTheCeiling() throws Exception {
        List<Duration> seen = new ArrayList<>();
        Retrier retrier = new Retrier(new RetryPolicy(50, Duration.ofMillis(10), Duration.ofMillis(40)), seen::add,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
        AtomicInteger calls = new AtomicInteger();
        retrier.call(() -> {
            if (calls.incrementAndGet() < 50) {
                throw new IOException("flaky");
            }
            return null;
        });
        assertThat(seen).hasSize(49).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(40)));
        assertThat(seen.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastError() {
        Retrier retrier = new Retrier(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1)), waits::add, b -> b);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(() -> {
            throw SdkClientException.create("attempt " + calls.incrementAndGet());
        })).hasMessageContaining("attempt 3");
        assertThat(calls).hasValue(3);
    }

    @Test
    void neverRetriesAFatalError() {
        Retrier retrier = new Retrier(new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(1)), waits::add, b -> b);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(() -> {
            calls.incrementAndGet();
            throw DynamoDbException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build();
        })).isInstanceOf(DynamoDbException.class);
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }
}
