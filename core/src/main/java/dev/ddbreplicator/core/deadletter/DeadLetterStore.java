package dev.ddbreplicator.core.deadletter;

import java.util.List;

/** Where poison events go, whole, so that nothing is lost and an operator can replay them. */
public interface DeadLetterStore {

    /** Stores the letter durably; throws if it could not (the caller must then not drop the event). */
    void put(DeadLetter letter);

    /** The letters of one pair, oldest sequence first. */
    List<DeadLetter> list(String pairId);

    /** Removes one letter, after a successful replay. */
    void delete(String pairId, String sequenceNumber);
}
