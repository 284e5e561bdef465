package dev.ddbreplicator.backup;

import java.util.Locale;

/**
 * A throughput limit: items per second ({@code --rate 500}), or, for backups of provisioned tables, a
 * share of the table's read capacity ({@code --rate 25%}) measured by the capacity each Scan page
 * reports it consumed.
 */
public record Rate(Kind kind, double value) {

    /** What the value counts. */
    public enum Kind {
        /** Items per second, across all threads. */
        ITEMS_PER_SECOND,
        /** A share (0 to 1] of the table's provisioned read capacity units. */
        CAPACITY_SHARE
    }

    public Rate {
        if (kind == null) {
            throw BackupUsageException.of("--rate", "needs a kind");
        }
        if (kind == Kind.ITEMS_PER_SECOND && !(value >= 1 && value <= 10_000_000)) {
            throw BackupUsageException.of("--rate", "must be 1 to 10000000 items per second, got " + value);
        }
        if (kind == Kind.CAPACITY_SHARE && !(value > 0 && value <= 1)) {
            throw BackupUsageException.of("--rate", "must be a share of capacity above 0% and at most 100%, got " + value * 100 + "%");
        }
    }

    public static Rate itemsPerSecond(double items) {
        return new Rate(Kind.ITEMS_PER_SECOND, items);
    }

    public static Rate capacityShare(double share) {
        return new Rate(Kind.CAPACITY_SHARE, share);
    }

    /**
     * Parses {@code 500} (items per second) or {@code 25%} (share of provisioned read capacity).
     *
     * @throws BackupUsageException naming {@code --rate} when the text is neither
     */
    public static Rate parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("%")) {
                return capacityShare(Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100.0);
            }
            return itemsPerSecond(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw BackupUsageException.of("--rate", "must be items per second (e.g. 500) or a share of read capacity (e.g. 25%), got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.CAPACITY_SHARE ? (value * 100) + "% of read capacity" : value + " items/s";
    }
}
