package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Requests are checked when built; each error is one line that names the option. */
class RequestValidationTest {

    @Test
    void ratesAreItemsPerSecondOrAShareOfCapacity() {
        assertThat(Rate.parse("500")).isEqualTo(Rate.itemsPerSecond(500));
        assertThat(Rate.parse(" 25% ")).isEqualTo(Rate.capacityShare(0.25));
        assertUsage(() -> Rate.parse("fast"), "--rate", "--rate must be items per second (e.g. 500) or a share of read capacity (e.g. 25%), got 'fast'");
        assertUsage(() -> Rate.parse("0"), "--rate", "--rate must be 1 to 10000000 items per second, got 0.0");
        assertUsage(() -> Rate.parse("150%"), "--rate", "--rate must be a share of capacity above 0% and at most 100%, got 150.0%");
    }

    @Test
    void retentionIsAnAgeOrACount() {
        assertThat(Retention.olderThan("30d")).isEqualTo(new Retention.OlderThan(Duration.ofDays(30)));
        assertThat(Retention.olderThan("12h")).isEqualTo(new Retention.OlderThan(Duration.ofHours(12)));
        assertUsage(() -> Retention.olderThan("a month"), "--older-than", "--older-than must be an age such as 30d, 12h or 90m, got 'a month'");
        assertUsage(() -> Retention.keep(0), "--keep", "--keep must be between 1 and 100000, got 0");
        Instant now = Instant.parse("2024-06-01T00:00:00Z");
        assertThat(Retention.keep(2).deletes(1, now, now)).isFalse();
        assertThat(Retention.keep(2).deletes(2, now, now)).isTrue();
        assertThat(Retention.olderThan("1d").deletes(3, now.minus(Duration.ofDays(2)), now)).isTrue();
        assertThat(Retention.olderThan("1d").deletes(0, now.minus(Duration.ofDays(2)), now)).as("the newest is always kept").isFalse();
        assertThat(Retention.olderThan("1d").deletes(3, now.minus(Duration.ofHours(2)), now)).isFalse();
    }

    @Test
    void keyAttributesAreNameColonType() {
        assertThat(KeyAttribute.parse("--partition-key", "Id:N")).isEqualTo(new KeyAttribute("Id", ScalarAttributeType.N));
        assertThat(KeyAttribute.parse("--sort-key", "a:b:s")).isEqualTo(new KeyAttribute("a:b", ScalarAttributeType.S));
        assertUsage(() -> KeyAttribute.parse("--partition-key", "Id"), "--partition-key",
                "--partition-key must be NAME:TYPE with TYPE S, N or B (e.g. Id:N), got 'Id'");
        assertUsage(() -> KeyAttribute.parse("--sort-key", "Id:X"), "--sort-key", "--sort-key type must be S, N or B, got 'X'");
    }

    @Test
    void backupRequestsNameTheBadOption() {
        assertThat(BackupRequest.builder("orders", "my-bucket").build().prefix()).isEqualTo("backups");
        assertThat(BackupRequest.builder("orders", "my-bucket").prefix("a/b/").build().prefix()).isEqualTo("a/b");
        assertUsage(() -> BackupRequest.builder("o", "my-bucket").build(), "--table", "--table 'o' is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)");
        assertUsage(() -> BackupRequest.builder("orders", "My_Bucket").build(), "--bucket", "--bucket 'My_Bucket' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        assertUsage(() -> BackupRequest.builder("orders", "my-bucket").segments(0).build(), "--segments", "--segments must be between 1 and 1000000, got 0");
        assertUsage(() -> BackupRequest.builder("orders", "my-bucket").prefix("/abs").build(), "--prefix", "--prefix '/abs' must not start with / or contain //");
        assertUsage(() -> BackupRequest.builder("orders", "my-bucket").partSizeBytes(1 << 20).build(), "--part-size",
                "--part-size must be 5 MiB to 512 MiB (S3's part limits), got 1048576");
    }

    @Test
    void restoreRequestsNameTheBadOption() {
        assertUsage(() -> RestoreRequest.builder("my-bucket", "yesterday", "copy").build(), "--export",
                "--export 'yesterday' is not an export ID (14 digits, a dash, 8 hex digits, e.g. 01700000000000-1a2b3c4d)");
        String id = "01700000000000-1a2b3c4d";
        assertUsage(() -> RestoreRequest.builder("my-bucket", id, "copy").rate(Rate.parse("10%")).build(), "--rate",
                "--rate for a restore is items per second (e.g. 1000), not a share of capacity");
        assertUsage(() -> RestoreRequest.builder("my-bucket", id, "copy").sortKey(KeyAttribute.parse("--sort-key", "sk:N")).build(), "--sort-key",
                "--sort-key needs --partition-key too");
        assertUsage(() -> RestoreRequest.builder("my-bucket", id, "copy").intoExisting(true)
                        .partitionKey(KeyAttribute.parse("--partition-key", "pk:S")).build(), "--partition-key",
                "--partition-key only applies when the restore creates the table, not with --into-existing");
        assertUsage(() -> RestoreRequest.builder("my-bucket", id, "x").build(), "--target-table",
                "--target-table 'x' is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)");
        assertUsage(() -> new PruneRequest("my-bucket", "", java.util.Optional.empty(), null, false, PruneRequest.DEFAULT_INCOMPLETE_AFTER),
                "--keep", "backup prune needs --keep N or --older-than AGE");
    }

    private static void assertUsage(Runnable action, String option, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(BackupUsageException.class, e -> assertThat(e.option()).isEqualTo(option))
                .hasMessage(message);
    }
}
