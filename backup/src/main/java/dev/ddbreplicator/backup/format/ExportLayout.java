package dev.ddbreplicator.backup.format;

import java.util.Optional;
import java.util.Random;

/**
 * Where the objects of one export live, as DynamoDB's Export to S3 lays them out:
 * <pre>
 * [prefix/]AWSDynamoDB/&lt;exportId&gt;/_started
 *                                   manifest-summary.json  + manifest-summary.md5
 *                                   manifest-files.json    + manifest-files.md5
 *                                   data/&lt;26 base32&gt;.json.gz
 * </pre>
 * plus ours: {@code table-description.json}, and {@code restore-checkpoints/<table>.json} while a
 * restore from it is under way.
 *
 * @param prefix the export prefix without trailing slash; empty for the bucket's root
 * @param exportId the export's ID
 */
public record ExportLayout(String prefix, String exportId) {

    public static final String ROOT = "AWSDynamoDB";
    public static final String SUMMARY = "manifest-summary.json";
    public static final String FILES = "manifest-files.json";
    public static final String STARTED = "_started";
    public static final String TABLE_DESCRIPTION = "table-description.json";

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public ExportLayout {
        if (prefix == null || prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must have no leading or trailing slash: " + prefix);
        }
        if (!ExportId.isValid(exportId)) {
            throw new IllegalArgumentException("not an export ID: " + exportId);
        }
    }

    /** The layout of the export whose directory is {@code directory} ({@code .../AWSDynamoDB/<id>/}). */
    public static Optional<ExportLayout> ofDirectory(String directory) {
        String dir = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
        int slash = dir.lastIndexOf('/');
        String id = dir.substring(slash + 1);
        String parent = slash < 0 ? "" : dir.substring(0, slash);
        if (!ExportId.isValid(id) || !(parent.equals(ROOT) || parent.endsWith("/" + ROOT))) {
            return Optional.empty();
        }
        String prefix = parent.equals(ROOT) ? "" : parent.substring(0, parent.length() - ROOT.length() - 1);
        return Optional.of(new ExportLayout(prefix, id));
    }

    /** {@code [prefix/]AWSDynamoDB/<id>/}, with the trailing slash. */
    public String directory() {
        return (prefix.isEmpty() ? "" : prefix + "/") + ROOT + "/" + exportId + "/";
    }

    public String started() {
        return directory() + STARTED;
    }

    public String manifestSummary() {
        return directory() + SUMMARY;
    }

    public String manifestSummaryMd5() {
        return directory() + "manifest-summary.md5";
    }

    public String manifestFiles() {
        return directory() + FILES;
    }

    public String manifestFilesMd5() {
        return directory() + "manifest-files.md5";
    }

    public String tableDescription() {
        return directory() + TABLE_DESCRIPTION;
    }

    public String dataDirectory() {
        return directory() + "data/";
    }

    /** A new data file key: 26 random base32 characters, as native exports name theirs. */
    public String newDataFile(Random random) {
        StringBuilder name = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            name.append(BASE32[random.nextInt(32)]);
        }
        return dataDirectory() + name + ".json.gz";
    }

    public String restoreCheckpoint(String targetTable) {
        return directory() + "restore-checkpoints/" + targetTable + ".json";
    }

    /** The value for the manifest's {@code s3Prefix}: the prefix, or null at the bucket's root. */
    public String manifestPrefix() {
        return prefix.isEmpty() ? null : prefix;
    }

    /**
     * Where a key named in a manifest is found for this export. Manifests carry full keys (or, in AWS's
     * documentation example, keys without the export prefix); an export copied elsewhere keeps the old
     * keys. So the part from {@code AWSDynamoDB/<id>/} on is taken and put under this export's directory.
     */
    public String resolve(String manifestKey) {
        String marker = ROOT + "/" + exportId + "/";
        int at = manifestKey.indexOf(marker);
        if (at >= 0 && (at == 0 || manifestKey.charAt(at - 1) == '/')) {
            return directory() + manifestKey.substring(at + marker.length());
        }
        return manifestKey;
    }

    /** {@code s3://bucket/key}, for messages. */
    public static String url(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }
}
