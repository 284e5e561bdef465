package dev.ddbreplicator.backup;

/**
 * Told how a backup or restore advances, at most about once a second and once at the end of each
 * phase. Called from worker threads: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = progress -> { };

    void onProgress(Progress progress);
}
