package dev.ddbreplicator.bench.stack;

import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stand-in AWS of the benchmarks, in a process of its own so that the measured replicators,
 * backups and plain calls never share a heap or a garbage collector with it: a source region and
 * a replica region (two DynamoDB Local servers, in memory) and an S3 server keeping objects in a
 * directory. Prints {@code READY <source> <replica> <s3>} and runs until its standard input closes.
 */
public final class StackServer {

    /** The region the source tables (and the control table) live in. */
    public static final String SOURCE_REGION = "us-east-1";
    /** The region the replica tables live in. */
    public static final String REPLICA_REGION = "eu-west-1";

    private StackServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StackServer S3_DIRECTORY");
            System.exit(2);
        }
        try (LocalRegion source = LocalRegion.startOnLoopback(SOURCE_REGION, 0, Optional.empty());
             LocalRegion replica = LocalRegion.startOnLoopback(REPLICA_REGION, 0, Optional.empty());
             LocalS3 s3 = LocalS3.start(0, Optional.of(Path.of(args[0])))) {
            System.out.println("READY " + source.endpoint() + " " + replica.endpoint() + " " + s3.endpoint() + " "
                    + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes the pipe (or dies)
            }
        }
        System.exit(0);
    }
}
