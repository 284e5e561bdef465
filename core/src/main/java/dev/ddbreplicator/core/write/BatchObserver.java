package dev.ddbreplicator.core.write;

/** Told about every batch a {@link PairReplicator} has written, e.g. to report status. */
public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {
        @Override
        public void written(BatchResult result) {
        }

        @Override
        public void retried(int attempt, Throwable error) {
        }
    };

    void written(BatchResult result);

    /** A write was retried. */
    void retried(int attempt, Throwable error);

    /** The replicator is closing: report what is left. */
    default void close() {
    }
}
