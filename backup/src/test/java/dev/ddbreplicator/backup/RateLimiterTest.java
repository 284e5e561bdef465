package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.backup.run.RateLimiter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared token bucket, on a fake clock: no test here waits for real time. */
class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong slept = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(100, nanos::get, d -> {
        slept.addAndGet(d.toNanos());
        nanos.addAndGet(d.toNanos());
    });

    @Test
    void takingMoreThanTheRateWaitsForTheDebtToBePaid() throws Exception {
        for (int i = 0; i < 10; i++) {
            limiter.acquire(25);
        }
        assertThat(Duration.ofNanos(slept.get())).as("250 items at 100/s").isBetween(Duration.ofMillis(2490), Duration.ofMillis(2510));
    }

    @Test
    void idleTimeBuysAtMostOneSecondOfBurst() throws Exception {
        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        limiter.acquire(100);
        assertThat(slept.get()).as("one second's worth is free after a pause").isZero();
        limiter.acquire(100);
        assertThat(Duration.ofNanos(slept.get())).isBetween(Duration.ofMillis(990), Duration.ofMillis(1010));
    }

    @Test
    void aNewRateAppliesToWhatFollows() throws Exception {
        limiter.rate(10);
        limiter.acquire(20);
        assertThat(Duration.ofNanos(slept.get())).isBetween(Duration.ofMillis(1990), Duration.ofMillis(2010));
    }
}
