package dev.ddbreplicator.backup.restore;

import dev.ddbreplicator.backup.BackupUsageException;
import dev.ddbreplicator.backup.CorruptExportException;
import dev.ddbreplicator.backup.format.Checksums;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.backup.format.ManifestSummary;
import dev.ddbreplicator.backup.format.TableDefinition;
import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.core.retry.Retrier;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The checked manifests of one export: the summary and the data file list, each matched against its
 * checksum file, the counts added up, and our table description when the export has one.
 *
 * @param summaryMd5 the base64 MD5 of the summary, which identifies the export's content in checkpoints
 */
public record ExportManifest(ExportLayout layout, ManifestSummary summary, String summaryMd5, List<ManifestFileEntry> files,
                             Optional<TableDefinition> tableDefinition) {

    /** Where file {@code index} of the manifest is. */
    public String dataKey(int index) {
        return layout.resolve(files.get(index).dataFileS3Key());
    }

    /**
     * Reads and checks the manifests of the export in that directory.
     *
     * @throws CorruptExportException a manifest or checksum file is missing, malformed or does not match
     * @throws BackupUsageException the export is of a kind a restore cannot take (incremental, Ion)
     */
    public static ExportManifest read(S3Client s3, Retrier retrier, String bucket, ExportLayout layout) {
        String exportName = "export " + layout.exportId() + " at " + ExportLayout.url(bucket, layout.directory());
        byte[] summaryBytes = get(s3, retrier, bucket, layout.manifestSummary()).orElseThrow(() -> new CorruptExportException(exportName
                + " has no manifest-summary.json: the backup did not finish, or this is not an export; nothing was written"));
        checkMd5(s3, retrier, bucket, layout.directory() + "manifest-summary", summaryBytes, exportName);
        ManifestSummary summary;
        try {
            summary = ManifestSummary.parse(summaryBytes);
        } catch (IOException e) {
            throw new CorruptExportException(exportName + ": manifest-summary.json is malformed: " + e.getMessage());
        }
        if (summary.exportType().isPresent() && !summary.exportType().get().equals(ManifestSummary.FULL_EXPORT)) {
            throw new BackupUsageException("--export", exportName + " is an " + summary.exportType().get()
                    + "; only full exports can be restored");
        }
        if (!summary.outputFormat().equals(ManifestSummary.DYNAMODB_JSON)) {
            throw new BackupUsageException("--export", exportName + " is in " + summary.outputFormat() + "; only DYNAMODB_JSON exports can be restored");
        }
        String filesKey = layout.resolve(summary.manifestFilesS3Key());
        byte[] filesBytes = get(s3, retrier, bucket, filesKey).orElseThrow(() -> new CorruptExportException(exportName + " has no "
                + filesKey.substring(filesKey.lastIndexOf('/') + 1) + " (named by manifest-summary.json); nothing was written"));
        checkMd5(s3, retrier, bucket, filesKey.endsWith(".json") ? filesKey.substring(0, filesKey.length() - 5) : filesKey, filesBytes, exportName);
        List<ManifestFileEntry> files;
        try {
            files = ManifestFileEntry.parseLines(filesBytes);
        } catch (IOException e) {
            throw new CorruptExportException(exportName + ": manifest-files.json is malformed: " + e.getMessage());
        }
        long sum = files.stream().mapToLong(ManifestFileEntry::itemCount).sum();
        if (sum != summary.itemCount()) {
            throw new CorruptExportException(exportName + ": manifest-files.json counts " + sum + " items but manifest-summary.json says "
                    + summary.itemCount());
        }
        Optional<TableDefinition> definition = Optional.empty();
        Optional<byte[]> description = get(s3, retrier, bucket, layout.tableDescription());
        if (description.isPresent()) {
            try {
                definition = Optional.of(TableDefinition.parse(description.get()));
            } catch (IOException e) {
                throw new CorruptExportException(exportName + ": table-description.json is malformed: " + e.getMessage());
            }
        }
        return new ExportManifest(layout, summary, Checksums.base64Md5(summaryBytes), files, definition);
    }

    /** Checks a manifest against its {@code .md5} file (or {@code .checksum}, the name AWS's guide uses). */
    private static void checkMd5(S3Client s3, Retrier retrier, String bucket, String base, byte[] content, String exportName) {
        String name = base.substring(base.lastIndexOf('/') + 1);
        Optional<byte[]> sum = get(s3, retrier, bucket, base + ".md5").or(() -> get(s3, retrier, bucket, base + ".checksum"));
        if (sum.isEmpty()) {
            throw new CorruptExportException(exportName + " has no " + name + ".md5: its manifest cannot be checked; nothing was written");
        }
        String text = new String(sum.get(), java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = Checksums.parseMd5(text).orElseThrow(() -> new CorruptExportException(exportName + ": " + name
                + ".md5 does not hold an MD5 (base64 or hex)"));
        if (!Arrays.equals(expected, Checksums.md5().digest(content))) {
            throw new CorruptExportException(exportName + ": " + name + ".json does not match " + name + ".md5; nothing was written");
        }
    }

    static Optional<byte[]> get(S3Client s3, Retrier retrier, String bucket, String key) {
        try {
            return Optional.of(Calls.firstThenRetry(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), retrier,
                    Retrier.Listener.NONE, NoSuchKeyException.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
