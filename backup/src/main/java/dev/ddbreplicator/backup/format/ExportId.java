package dev.ddbreplicator.backup.format;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Export IDs in the native format: the start time in epoch milliseconds zero-padded to 14 digits, a
 * dash, 8 random hex digits ({@code 01700000000000-1a2b3c4d}). They sort by start time.
 */
public final class ExportId {

    private static final Pattern FORMAT = Pattern.compile("\\d{14}-[0-9a-f]{8}");

    private ExportId() {
    }

    public static String create(Instant start, Random random) {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return String.format("%014d-%s", start.toEpochMilli(), HexFormat.of().formatHex(bytes));
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /** The start time an ID carries. */
    public static Instant startOf(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not an export ID: " + id);
        }
        return Instant.ofEpochMilli(Long.parseLong(id.substring(0, 14)));
    }
}
