package dev.ddbreplicator.core.retry;

import java.time.Duration;

/**
 * How hard to retry: attempts in all (the first included), and the capped exponential backoff
 * between them ({@code base * 2^n}, at most {@code max}, with full jitter).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    /** For one write inside a batch: a few quick attempts, then let the batch report the failure. */
    public static final RetryPolicy WRITE = new RetryPolicy(6, Duration.ofMillis(25), Duration.ofSeconds(1));
    /** For control-plane calls (registry, dead letters). */
    public static final RetryPolicy CONTROL = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, got " + baseDelay + " and " + maxDelay);
        }
    }

    /** The longest wait before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration ceiling(int attempt) {
        int shift = Math.min(attempt - 1, 30);
        long millis = baseDelay.toMillis() << shift;
        return millis < 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }
}
