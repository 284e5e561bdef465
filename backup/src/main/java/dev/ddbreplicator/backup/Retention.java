package dev.ddbreplicator.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which finished backups of a table to keep: the newest N ({@code --keep N}), or those younger than an
 * age ({@code --older-than 30d} deletes the older ones). Either way the newest finished backup of each
 * table is never deleted, so a schedule that stopped running cannot age every backup away.
 */
public sealed interface Retention {

    /**
     * Whether a table's finished backup goes.
     *
     * @param rank its place among the table's finished backups, newest first (0 is the newest, always kept)
     */
    boolean deletes(int rank, Instant start, Instant now);

    /** Keep the {@code count} newest finished backups of each table. */
    record KeepNewest(int count) implements Retention {
        public KeepNewest {
            Options.atLeast("--keep", count, 1, 100_000);
        }

        @Override
        public boolean deletes(int rank, Instant start, Instant now) {
            return rank >= count;
        }
    }

    /** Delete finished backups that started more than {@code age} ago (except each table's newest). */
    record OlderThan(Duration age) implements Retention {
        public OlderThan {
            if (age == null || age.isNegative() || age.isZero()) {
                throw BackupUsageException.of("--older-than", "must be a positive age such as 30d or 12h");
            }
        }

        @Override
        public boolean deletes(int rank, Instant start, Instant now) {
            return rank > 0 && start.isBefore(now.minus(age));
        }
    }

    static Retention keep(int count) {
        return new KeepNewest(count);
    }

    /**
     * Parses an age: a whole number followed by {@code d} (days), {@code h} (hours) or {@code m} (minutes).
     *
     * @throws BackupUsageException naming {@code --older-than} when it is not such an age
     */
    static Retention olderThan(String text) {
        Matcher m = Pattern.compile("(\\d{1,6})\\s*([dhm])").matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw BackupUsageException.of("--older-than", "must be an age such as 30d, 12h or 90m, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration age = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        return new OlderThan(age);
    }
}
