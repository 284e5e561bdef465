package dev.ddbreplicator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs the in-process S3 server for the test class. {@link #persistent()}
 * keeps objects on disk, so a test can stop and start the server and find them again.
 */
public final class LocalS3Extension implements BeforeAllCallback, AfterAllCallback {

    private final boolean persistent;
    private LocalS3 server;

    private LocalS3Extension(boolean persistent) {
        this.persistent = persistent;
    }

    public static LocalS3Extension inMemory() {
        return new LocalS3Extension(false);
    }

    public static LocalS3Extension persistent() {
        return new LocalS3Extension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            server = LocalS3.start(0, persistent ? Optional.of(Files.createTempDirectory("s3-local-")) : Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public LocalS3 server() {
        if (server == null) {
            throw new IllegalStateException("the S3 server runs only while the test class runs");
        }
        return server;
    }
}
