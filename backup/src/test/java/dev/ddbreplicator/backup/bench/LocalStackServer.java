package dev.ddbreplicator.backup.bench;

import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DynamoDB Local and the S3 server (objects in a directory) in a process of their own, so that a
 * benchmark's heap holds only what the code under measure holds. Prints {@code READY <dynamodb> <s3>}
 * and runs until its standard input closes.
 */
public final class LocalStackServer {

    private LocalStackServer() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalRegion region = LocalRegion.inMemory("us-east-1"); LocalS3 s3 = LocalS3.start(0, Optional.of(Path.of(args[0])))) {
            System.out.println("READY " + region.endpoint() + " " + s3.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
        System.exit(0);
    }
}
