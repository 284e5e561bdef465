package dev.ddbreplicator.core.write;

/**
 * The version a replica item carries: the source stream's sequence number, left-padded with
 * zeros to a fixed width so that comparing the strings compares the numbers. DynamoDB condition
 * expressions compare strings byte by byte; this padding is what makes {@code #v < :v} numeric.
 */
public record ReplicaVersion(String value) implements Comparable<ReplicaVersion> {

    /** Width of a version. Stream sequence numbers are at most 40 digits. */
    public static final int WIDTH = 40;

    /** The version of a backfilled copy: older than any change from the stream. */
    public static final ReplicaVersion BACKFILL = new ReplicaVersion("0".repeat(WIDTH));

    public ReplicaVersion {
        if (value == null || value.length() != WIDTH || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a replica version is " + WIDTH + " decimal digits, got: " + value);
        }
    }

    /** The version for a stream sequence number. */
    public static ReplicaVersion of(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty() || sequenceNumber.length() > WIDTH
                || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("sequence number must be 1 to " + WIDTH + " decimal digits, got: " + sequenceNumber);
        }
        return new ReplicaVersion("0".repeat(WIDTH - sequenceNumber.length()) + sequenceNumber);
    }

    public boolean isNewerThan(ReplicaVersion other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(ReplicaVersion other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
