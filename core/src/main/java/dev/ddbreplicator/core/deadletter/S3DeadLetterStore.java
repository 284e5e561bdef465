package dev.ddbreplicator.core.deadletter;

import dev.ddbreplicator.core.retry.Retrier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Dead letters in S3, one object per event at {@code <prefix>dlq/<pair-id>/<sequence>.json}.
 * The sequence number in the name makes a second write of the same event replace the first,
 * so a retried batch never doubles a letter.
 */
public final class S3DeadLetterStore implements DeadLetterStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Retrier retrier;

    /**
     * @param prefix prepended to {@code dlq/...}; empty, or ending with {@code /}
     */
    public S3DeadLetterStore(S3Client s3, String bucket, String prefix, Retrier retrier) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("dead-letter bucket is required");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("dead-letter prefix must be empty or end with '/', got: " + prefix);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.retrier = retrier;
    }

    /** The object key of a pair's letter for one sequence number. */
    public String key(String pairId, String sequenceNumber) {
        return pairPrefix(pairId) + sequenceNumber + ".json";
    }

    @Override
    public void put(DeadLetter letter) {
        byte[] body = DeadLetterCodec.toJson(letter).getBytes(StandardCharsets.UTF_8);
        String key = key(letter.pairId(), letter.event().sequenceNumber());
        retrier.callUnchecked(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromBytes(body)), Retrier.Listener.NONE);
    }

    @Override
    public List<DeadLetter> list(String pairId) {
        List<S3Object> objects = new ArrayList<>();
        retrier.callUnchecked(() -> {
            objects.clear();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(pairPrefix(pairId))).contents().forEach(objects::add);
            return null;
        }, Retrier.Listener.NONE);
        return objects.stream()
                .sorted(Comparator.comparing((S3Object o) -> o.key().length()).thenComparing(S3Object::key))
                .map(o -> retrier.callUnchecked(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String(),
                        Retrier.Listener.NONE))
                .map(DeadLetterCodec::fromJson)
                .toList();
    }

    @Override
    public void delete(String pairId, String sequenceNumber) {
        retrier.callUnchecked(() -> s3.deleteObject(b -> b.bucket(bucket).key(key(pairId, sequenceNumber))), Retrier.Listener.NONE);
    }

    private String pairPrefix(String pairId) {
        return prefix + "dlq/" + pairId + "/";
    }
}
