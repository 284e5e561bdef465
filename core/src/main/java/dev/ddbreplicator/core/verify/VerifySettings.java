package dev.ddbreplicator.core.verify;

import java.time.Duration;

/**
 * How a verify scans and how patiently it rechecks.
 *
 * @param segments parallel scan segments per table
 * @param rechecks how many times a suspect item is read again before it counts as different
 * @param recheckDelay the wait before each recheck: time for a change in flight to arrive
 * @param examples how many example keys of each kind the report keeps
 */
public record VerifySettings(int segments, int rechecks, Duration recheckDelay, int examples) {

    public VerifySettings {
        if (segments < 1 || segments > 1_000_000) {
            throw new IllegalArgumentException("segments must be 1 to 1000000, got " + segments);
        }
        if (rechecks < 1) {
            throw new IllegalArgumentException("rechecks must be at least 1, got " + rechecks);
        }
        if (recheckDelay.isNegative() || examples < 0) {
            throw new IllegalArgumentException("recheck delay and examples must not be negative");
        }
    }

    public static VerifySettings defaults() {
        return new VerifySettings(4, 3, Duration.ofSeconds(1), 10);
    }

    public VerifySettings withSegments(int newSegments) {
        return new VerifySettings(newSegments, rechecks, recheckDelay, examples);
    }

    public VerifySettings withRecheckDelay(Duration delay) {
        return new VerifySettings(segments, rechecks, delay, examples);
    }
}
