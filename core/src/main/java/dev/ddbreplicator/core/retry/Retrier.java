package dev.ddbreplicator.core.retry;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The one retry loop: calls an action, retries what {@link ErrorClassifier} calls retryable with
 * capped exponential backoff and full jitter, and rethrows the last error when attempts run out.
 */
public final class Retrier {

    /** Waits between attempts; swapped in tests so they run without sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Told about each retry, e.g. to count it. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (attempt, error) -> { };

        void retrying(int attempt, Throwable error);
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter;

    public Retrier(RetryPolicy policy) {
        this(policy, d -> Thread.sleep(d.toMillis()), bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /**
     * @param jitter given the ceiling in ms, the wait in ms (full jitter draws uniformly from 0 to it)
     */
    public Retrier(RetryPolicy policy, Sleeper sleeper, LongUnaryOperator jitter) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    public RetryPolicy policy() {
        return policy;
    }

    public <T> T call(Callable<T> action) throws Exception {
        return call(action, Listener.NONE);
    }

    /**
     * Runs the action until it succeeds, fails fatally, or the attempts are used up.
     *
     * @throws Exception the action's last error: fatal at once, retryable after the last attempt;
     *                   {@link InterruptedException} if the thread was interrupted while waiting
     */
    public <T> T call(Callable<T> action, Listener listener) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.call();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (ErrorClassifier.classify(e) == ErrorKind.FATAL || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                listener.retrying(attempt, e);
                sleeper.sleep(Duration.ofMillis(jitter.applyAsLong(policy.ceiling(attempt).toMillis())));
            }
        }
    }

    /** Like {@link #call(Callable, Listener)}, for callers that cannot throw checked exceptions. */
    public <T> T callUnchecked(Callable<T> action, Listener listener) {
        try {
            return call(action, listener);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
