package dev.ddbreplicator.backup.format;

import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.core.retry.Retrier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Finds export directories ({@code .../AWSDynamoDB/<exportId>/}) in a bucket by walking "folders" with
 * delimited listings, never descending into an export's data: the cost is one listing per folder, not
 * one per object. Exports are found at most {@value #MAX_DEPTH} folders below the start.
 */
public final class ExportDirectories {

    public static final int MAX_DEPTH = 8;

    private final S3Client s3;
    private final Retrier retrier;

    public ExportDirectories(S3Client s3, Retrier retrier) {
        this.s3 = s3;
        this.retrier = retrier;
    }

    /** Every export directory under the prefix (empty: the whole bucket). */
    public List<ExportLayout> list(String bucket, String prefix) {
        List<ExportLayout> exports = new ArrayList<>();
        Deque<Folder> folders = new ArrayDeque<>();
        folders.add(new Folder(prefix.isEmpty() ? "" : prefix + "/", 0));
        while (!folders.isEmpty()) {
            Folder folder = folders.poll();
            for (String child : children(bucket, folder.path())) {
                if (child.endsWith(ExportLayout.ROOT + "/")) {
                    for (String exportDir : children(bucket, child)) {
                        ExportLayout.ofDirectory(exportDir).ifPresent(exports::add);
                    }
                } else if (folder.depth() < MAX_DEPTH) {
                    folders.add(new Folder(child, folder.depth() + 1));
                }
            }
        }
        return exports;
    }

    /** The export with that ID under the prefix, if there is exactly one; several is an error the caller reports. */
    public List<ExportLayout> find(String bucket, String prefix, String exportId) {
        ExportLayout direct = new ExportLayout(prefix, exportId);
        if (exists(bucket, direct.directory())) {
            return List.of(direct);
        }
        return list(bucket, prefix).stream().filter(l -> l.exportId().equals(exportId)).toList();
    }

    /** Whether any object has a key starting with the prefix. */
    public boolean exists(String bucket, String keyPrefix) {
        return call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).maxKeys(1)).keyCount() > 0);
    }

    /** The keys of the objects directly in a folder (not in its sub-folders). */
    public List<String> objects(String bucket, String folder) {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(folder).delimiter("/").build();
        return call(() -> {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(request).contents().forEach(o -> keys.add(o.key()));
            return keys;
        });
    }

    /** The object in a folder with that name, with its metadata, if any. */
    public Optional<software.amazon.awssdk.services.s3.model.S3Object> object(String bucket, String key) {
        return call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
                .filter(o -> o.key().equals(key))
                .findFirst());
    }

    private List<String> children(String bucket, String folder) {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(folder).delimiter("/").build();
        return call(() -> {
            List<String> children = new ArrayList<>();
            s3.listObjectsV2Paginator(request).commonPrefixes().stream().map(CommonPrefix::prefix).forEach(children::add);
            return children;
        });
    }

    /** A listing, retried whole; a missing bucket is reported at once. */
    private <T> T call(java.util.concurrent.Callable<T> listing) {
        try {
            return Calls.firstThenRetry(listing, retrier, Retrier.Listener.NONE, NoSuchBucketException.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private record Folder(String path, int depth) {
    }
}
