package dev.ddbreplicator.core.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void permitsBeyondTheRateWaitInProportion() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        RateLimiter limiter = new RateLimiter(100, now::get);
        assertThat(limiter.reserve(100)).isZero();
        // The first 100 take this second; the next 50 start after it and take half of the next one.
        assertThat(limiter.reserve(50)).isEqualTo(SECOND);
        assertThat(limiter.reserve(1)).isEqualTo(SECOND + SECOND / 2);
    }

    @Test
    void anIdleLimiterAllowsAtMostOneSecondOfBurst() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        RateLimiter limiter = new RateLimiter(10, now::get);
        now.addAndGet(60 * SECOND);
        assertThat(limiter.reserve(10)).isZero();
        assertThat(limiter.reserve(10)).isZero();
        // A minute of idleness banked only one second: the third second's worth waits.
        assertThat(limiter.reserve(10)).isEqualTo(SECOND);
    }

    @Test
    void noLimitNeverWaits() {
        assertThat(RateLimiter.unlimited().reserve(1_000_000)).isZero();
    }
}
