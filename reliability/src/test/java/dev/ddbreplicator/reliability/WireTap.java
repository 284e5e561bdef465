package dev.ddbreplicator.reliability;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Sees every HTTP request any SDK client of this JVM sends, as it goes on the wire (signed, headers
 * final): registered through the SDK's global interceptor file, so the command's own clients are
 * seen too. Tests switch it on to keep S3 requests, to count requests signed with an access key,
 * and to play S3's bucket-owner check, which the in-process S3 server does not make.
 */
public final class WireTap implements ExecutionInterceptor {

    /** One S3 request: the operation, its path (the bucket first) and its headers. */
    record S3Call(String operation, String path, Map<String, List<String>> headers) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    static final List<S3Call> S3_CALLS = new CopyOnWriteArrayList<>();
    static volatile boolean recordS3;
    /** When set, S3 calls with another (or no) expected owner header are refused with 403, as S3 does for a bucket of this account. */
    static volatile String bucketOwner;
    static volatile String countedAccessKey = "";
    static final AtomicLong SIGNED_WITH_KEY = new AtomicLong();

    static void reset() {
        S3_CALLS.clear();
        recordS3 = false;
        bucketOwner = null;
        countedAccessKey = "";
        SIGNED_WITH_KEY.set(0);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        SdkHttpRequest http = context.httpRequest();
        String key = countedAccessKey;
        if (!key.isEmpty() && http.firstMatchingHeader("Authorization").map(a -> a.contains("Credential=" + key + "/")).orElse(false)) {
            SIGNED_WITH_KEY.incrementAndGet();
        }
        if (!"S3".equalsIgnoreCase(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (recordS3) {
            S3_CALLS.add(new S3Call(operation, http.encodedPath(), Map.copyOf(http.headers())));
        }
        String owner = bucketOwner;
        if (owner != null && !operation.equals("ListBuckets") && !operation.equals("CreateBucket")) {
            Optional<String> expected = http.firstMatchingHeader("x-amz-expected-bucket-owner");
            if (expected.isPresent() && !expected.get().equals(owner)) {
                throw (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied")
                                .serviceName("S3").build())
                        .build();
            }
        }
    }
}
