package dev.ddbreplicator.testkit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The fixed credentials that the embedded servers accept (they check none). */
public final class LocalCredentials {

    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    private LocalCredentials() {
    }

    /** A provider of the fixed local credentials. */
    public static AwsCredentialsProvider provider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
