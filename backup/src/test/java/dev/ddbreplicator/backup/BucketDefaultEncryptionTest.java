package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An S3-compatible store that refuses encryption headers (here the S3 server on a directory) takes
 * a backup and restore made with the bucket's default encryption.
 */
class BucketDefaultEncryptionTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(LocalAws.REGION);

    @Test
    void aBackupWithTheBucketsDefaultEncryptionSendsNoHeaderAndRestores() throws Exception {
        try (LocalS3 s3 = LocalS3.start(0, Optional.of(Files.createTempDirectory("s3-default-sse-")));
             LocalAws local = new LocalAws(AWS.source(), s3)) {
            local.createBucket("plain-store");
            TestTables.create(local.dynamoDb(), "plain", TableShape.HASH_AND_RANGE);
            LocalAws.load(local.dynamoDb(), "plain", 200, i -> TestItems.item(i, 8), 2);
            BackupJob backups = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC());
            assertThatThrownBy(() -> backups.run(BackupRequest.builder("plain", "plain-store").build()))
                    .as("this store refuses SSE headers").isInstanceOf(BackupFailedException.class)
                    .hasMessageContaining("Server-side encryption is not supported");

            BackupResult result = backups.run(BackupRequest.builder("plain", "plain-store").segments(2).encryption(Encryption.bucketDefault()).build());
            RestoreResult restored = new RestoreJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                    .run(RestoreRequest.builder("plain-store", result.exportId(), "plain-copy").build());

            assertThat(restored.itemsWritten()).isEqualTo(200);
            assertThat(LocalAws.differences(local.dynamoDb(), "plain", "plain-copy", List.of("pk", "sk"), 200, TestItems::key, 2)).isEmpty();
        }
    }
}
