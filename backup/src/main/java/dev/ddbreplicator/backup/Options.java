package dev.ddbreplicator.backup;

import dev.ddbreplicator.core.pair.Names;
import java.util.regex.Pattern;

/** Checks of option values shared by the request records; each failure names the option. */
final class Options {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern EXPORT_ID = Pattern.compile("\\d{14}-[0-9a-f]{8}");

    private Options() {
    }

    static String table(String option, String name) {
        try {
            return Names.table(option, name);
        } catch (IllegalArgumentException e) {
            throw new BackupUsageException(option, e.getMessage());
        }
    }

    static String bucket(String option, String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw BackupUsageException.of(option, "is required");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw BackupUsageException.of(option, "'" + bucket + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        }
        return bucket;
    }

    /** A key prefix without leading or trailing slashes; empty means the bucket's root. */
    static String prefix(String option, String prefix) {
        if (prefix == null) {
            return "";
        }
        String trimmed = prefix.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.startsWith("/") || trimmed.contains("//")) {
            throw BackupUsageException.of(option, "'" + prefix + "' must not start with / or contain //");
        }
        if (trimmed.contains("AWSDynamoDB")) {
            throw BackupUsageException.of(option, "'" + prefix + "' must not contain AWSDynamoDB: exports add that folder themselves");
        }
        if (trimmed.length() > 500) {
            throw BackupUsageException.of(option, "is longer than 500 characters");
        }
        return trimmed;
    }

    static String exportId(String option, String id) {
        if (id == null || id.isBlank()) {
            throw BackupUsageException.of(option, "is required");
        }
        if (!EXPORT_ID.matcher(id).matches()) {
            throw BackupUsageException.of(option, "'" + id + "' is not an export ID (14 digits, a dash, 8 hex digits, e.g. 01700000000000-1a2b3c4d)");
        }
        return id;
    }

    static int atLeast(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw BackupUsageException.of(option, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
