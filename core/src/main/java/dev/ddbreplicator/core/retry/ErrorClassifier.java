package dev.ddbreplicator.core.retry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The one place that decides whether a failure is worth retrying.
 *
 * <p>Only errors that say the request itself is invalid are fatal. Everything else, including
 * access denied and missing tables, is retryable: those are configuration faults an operator
 * can fix, and retrying delays replication where giving up would lose updates.
 */
public final class ErrorClassifier {

    private static final Set<String> FATAL_CODES = Set.of(
            "ValidationException",
            "SerializationException",
            "ItemCollectionSizeLimitExceededException",
            "InvalidParameterValueException");

    private ErrorClassifier() {
    }

    public static ErrorKind classify(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof PoisonException) {
            return ErrorKind.FATAL;
        }
        if (cause instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (code != null && FATAL_CODES.contains(code)) {
                return ErrorKind.FATAL;
            }
            return ErrorKind.RETRYABLE;
        }
        if (cause instanceof SdkClientException || cause instanceof IOException || cause instanceof UncheckedIOException) {
            return ErrorKind.RETRYABLE;
        }
        return ErrorKind.RETRYABLE;
    }

    /** Whether the service said to slow down (as opposed to another transient error). */
    public static boolean isThrottling(Throwable error) {
        return unwrap(error) instanceof AwsServiceException service && service.isThrottlingException();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
