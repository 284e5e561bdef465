package dev.ddbreplicator.bench.backup;

import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupRequest;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.Encryption;
import dev.ddbreplicator.bench.ProcessMemory;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one backup with the command's defaults (segments from the table's size, 8 threads) in a JVM
 * of its own and prints {@code RESULT <items> <gzip bytes> <seconds> <peak RSS kB>}: the peak is the
 * kernel's VmHWM of this process, so nothing but the backup (and the JVM) is in it.
 */
public final class BackupMemoryProbe {

    private BackupMemoryProbe() {
    }

    /** Arguments: REGION DYNAMODB_ENDPOINT S3_ENDPOINT TABLE BUCKET. */
    public static void main(String[] args) {
        String region = args[0];
        try (AwsClients clients = new AwsClients(AwsSettings.local(Map.of(region, URI.create(args[1])), Optional.of(URI.create(args[2]))))) {
            BackupResult result = new BackupJob(clients, region, Clock.systemUTC())
                    .run(BackupRequest.builder(args[3], args[4]).encryption(Encryption.bucketDefault()).build());
            ProcessMemory memory = ProcessMemory.of(ProcessHandle.current().pid());
            System.out.printf("RESULT %d %d %.3f %d %d%n", result.itemCount(), result.compressedBytes(),
                    result.duration().toNanos() / 1e9, memory.peakRssKb(), result.segments());
        }
        System.exit(0);
    }
}
