package dev.ddbreplicator.cli;

/** A replicator the demo runs for its pair: the built-in stream follower, or a real runtime when present. */
interface DemoReplicator extends AutoCloseable {

    /** What runs, for the summary. */
    String describe();

    /** Changes written to the replica so far. */
    long applied();

    @Override
    void close();
}
