package dev.ddbreplicator.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server (S3Proxy) running in this JVM on a loopback port, without
 * authentication. Objects live in memory, or in a directory when one is given, which also
 * keeps them across {@link #stop()} and {@link #start()}.
 */
public final class LocalS3 implements AutoCloseable {

    private final int port;
    private final Optional<Path> dataDir;
    private BlobStore blobStore;
    private S3Proxy proxy;

    private LocalS3(int port, Optional<Path> dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server.
     *
     * @param port the loopback port, or 0 for a free one
     * @param dataDir where objects are kept; empty keeps them in memory
     */
    public static LocalS3 start(int port, Optional<Path> dataDir) {
        LocalS3 s3 = new LocalS3(port == 0 ? FreePorts.next() : port, dataDir);
        s3.start();
        return s3;
    }

    /** Starts an in-memory server on a free port. */
    public static LocalS3 inMemory() {
        return start(0, Optional.empty());
    }

    /** Starts the server (again), on the same port and with the same objects. */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        if (blobStore == null) {
            Properties properties = new Properties();
            dataDir.ifPresent(dir -> properties.setProperty("jclouds.filesystem.basedir", dir.toString()));
            blobStore = BlobStores.create(dataDir.isPresent() ? "filesystem" : "transient", properties);
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(endpoint())
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            started.start();
            while (!"STARTED".equals(started.getState())) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the S3 server", e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not start on port " + port, e);
        }
        proxy = started;
    }

    /** Stops the server: clients get connection errors, objects are kept. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not stop", e);
        } finally {
            proxy = null;
        }
    }

    public synchronized boolean isRunning() {
        return proxy != null;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A new client for this server; the caller closes it. */
    public S3Client client() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .credentialsProvider(LocalCredentials.provider())
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    @Override
    public void close() {
        stop();
    }
}
