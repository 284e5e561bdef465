package dev.ddbreplicator.bench.replication;

import dev.ddbreplicator.bench.ProcessMemory;

/**
 * A replicator under measurement, following one pair's stream live. A benchmark pauses it while it
 * loads the source table, so that the load and the replication never compete, then resumes it and
 * counts the events it finishes.
 */
interface Target extends AutoCloseable {

    String name();

    /** Events finished with so far (applied, stale, skipped or dead-lettered), cumulative. */
    long finishedEvents();

    /** Stops reading the stream until {@link #resume()}. */
    void pause();

    void resume();

    /** The replicator's own process memory, when it runs in a process of its own. */
    default ProcessMemory memory() {
        return ProcessMemory.UNKNOWN;
    }

    @Override
    void close();
}
