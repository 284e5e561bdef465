package dev.ddbreplicator.core.backfill;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spreads work evenly over time: at most {@code perSecond} permits a second, shared by every
 * thread, with no bursts beyond one second's worth. Zero or less means no limit.
 */
public final class RateLimiter {

    private final double perSecond;
    private final LongSupplier nanoTime;
    private long nextFreeNanos;

    public RateLimiter(double perSecond) {
        this(perSecond, System::nanoTime);
    }

    RateLimiter(double perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.nextFreeNanos = nanoTime.getAsLong();
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(0);
    }

    public boolean isLimited() {
        return perSecond > 0;
    }

    /** Blocks until {@code permits} may be used. */
    public void acquire(int permits) throws InterruptedException {
        long waitNanos = reserve(permits);
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    /** Reserves the permits and returns how long the caller must wait before using them. */
    synchronized long reserve(int permits) {
        if (!isLimited() || permits <= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        // Unused time is not banked beyond one second: an idle limiter must not allow a long burst.
        long earliest = now - TimeUnit.SECONDS.toNanos(1);
        long start = Math.max(nextFreeNanos, earliest);
        nextFreeNanos = start + (long) (permits * 1e9 / perSecond);
        return Math.max(0, start - now);
    }
}
