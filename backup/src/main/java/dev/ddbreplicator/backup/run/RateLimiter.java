package dev.ddbreplicator.backup.run;

import dev.ddbreplicator.core.retry.Retrier;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket shared by all worker threads: callers take what they use (items, or capacity units
 * known only after a Scan page came back) and wait while the bucket is in debt. It holds at most one
 * second of tokens, so a pause is not followed by a long burst.
 */
public final class RateLimiter {

    private final LongSupplier nanoTime;
    private final Retrier.Sleeper sleeper;
    private double perSecond;
    private double tokens;
    private long last;

    public RateLimiter(double perSecond) {
        this(perSecond, System::nanoTime, d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000)));
    }

    public RateLimiter(double perSecond, LongSupplier nanoTime, Retrier.Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.last = nanoTime.getAsLong();
    }

    /** Changes the rate, e.g. when the table's provisioned capacity changed. */
    public synchronized void rate(double newPerSecond) {
        if (newPerSecond > 0) {
            refill();
            perSecond = newPerSecond;
        }
    }

    public synchronized double rate() {
        return perSecond;
    }

    /** Takes {@code permits} and waits until the bucket is out of debt again. */
    public void acquire(double permits) throws InterruptedException {
        Duration wait;
        synchronized (this) {
            refill();
            tokens -= permits;
            wait = tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / perSecond * 1e9));
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
        last = now;
    }
}
