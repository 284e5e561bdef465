package dev.ddbreplicator.backup;

import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Request;

/**
 * {@code --expected-bucket-owner ACCOUNT}: an S3 client that sends S3's {@code ExpectedBucketOwner}
 * parameter on every call that takes it, so that S3 itself refuses (403) to read or write a bucket
 * of any other account: a backup never lands in, and a restore never reads from, a bucket someone
 * else created under the expected name. The refusal's message says so.
 */
public final class ExpectedBucketOwner {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final String PARAMETER = "ExpectedBucketOwner";

    private ExpectedBucketOwner() {
    }

    /**
     * The account ID, checked.
     *
     * @throws BackupUsageException when it is not 12 digits
     */
    public static String account(String option, String value) {
        if (value == null || !ACCOUNT.matcher(value.strip()).matches()) {
            throw BackupUsageException.of(option, "must be a 12-digit AWS account ID, got '" + value + "'");
        }
        return value.strip();
    }

    /** The client, sending {@code ExpectedBucketOwner: account} on every call that has the parameter. */
    public static S3Client wrap(S3Client s3, String account) {
        String owner = account("--expected-bucket-owner", account);
        return new DelegatingS3Client(s3) {
            @Override
            protected <T extends S3Request, R> R invokeOperation(T request, Function<T, R> operation) {
                try {
                    return operation.apply(withOwner(request, owner));
                } catch (S3Exception e) {
                    throw e.statusCode() == 403 ? refused(e, owner) : e;
                }
            }
        };
    }

    @SuppressWarnings("unchecked")
    static <T extends S3Request> T withOwner(T request, String owner) {
        S3Request.Builder builder = request.toBuilder();
        for (SdkField<?> field : request.sdkFields()) {
            if (PARAMETER.equals(field.memberName())) {
                field.set(builder, owner);
            }
        }
        return (T) builder.build();
    }

    private static S3Exception refused(S3Exception e, String owner) {
        String detail = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? "Access Denied"
                : e.awsErrorDetails().errorMessage();
        String message = "S3 refused (403 " + detail + "): the bucket is not owned by the expected account " + owner
                + ", or this account may not use it";
        S3Exception.Builder refused = (S3Exception.Builder) e.toBuilder().message(message).cause(e);
        if (e.awsErrorDetails() != null) {
            refused.awsErrorDetails(e.awsErrorDetails().toBuilder().errorMessage(message).build());
        }
        return (S3Exception) refused.build();
    }
}
