package dev.ddbreplicator.core.model;

/** What happened to an item in the source table. */
public enum ChangeKind {
    INSERT,
    MODIFY,
    REMOVE;

    /** Whether the change leaves an item behind (a put on the replica) rather than removing it. */
    public boolean writesItem() {
        return this != REMOVE;
    }
}
