package dev.ddbreplicator.reliability;

import java.util.List;
import java.util.Map;

/**
 * Recognizable fake secrets: credentials, a session token and a role ARN handed to the command, the
 * workers and the Lambda replicator, so that a test can search every log line and message for them.
 */
final class FakeCredentials {

    /** Letters and digits only: DynamoDB Local accepts no other access key. */
    static final String ACCESS_KEY = "AKIARELIABILITYFAKE7";
    static final String SECRET_KEY = "reliabilitySecret/DoNotLog+0123456789abcdefghijKLMNOP";
    static final String SESSION_TOKEN = "FQoGZXIvYXdzEreliabilitySessionTokenDoNotLogABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String ROLE_ARN = "arn:aws:iam::210987654321:role/reliability-replica-writer";

    private FakeCredentials() {
    }

    /** What must never appear in a log line or a message. */
    static List<String> secrets() {
        return List.of(SECRET_KEY, SESSION_TOKEN, "reliabilitySecret", "reliabilitySessionToken");
    }

    /** The variables the SDK's default credential chain reads. */
    static Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN);
    }
}
