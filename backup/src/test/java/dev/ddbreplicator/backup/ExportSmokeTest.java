package dev.ddbreplicator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import dev.ddbreplicator.testkit.TableShape;
import dev.ddbreplicator.testkit.TestTables;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExportSmokeTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1");

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    @Test
    void smoke() throws Exception {
        try (LocalAws local = new LocalAws(AWS.source(), S3.server())) {
            TestTables.create(local.dynamoDb(), "smoke", TableShape.HASH_AND_RANGE);
            LocalAws.load(local.dynamoDb(), "smoke", TestItems.generate(3000, 1), 4);
            local.createBucket("bk-smoke");
            BackupResult result = new BackupJob(local.clients, LocalAws.REGION, Clock.systemUTC())
                    .run(BackupRequest.builder("smoke", "bk-smoke").build(), p -> System.out.println(p.describe()));
            System.out.println(result.describe());
            NativeLayoutChecker.Report report = NativeLayoutChecker.check(local.s3(), "bk-smoke", "backups", result.exportId(), false);
            assertThat(report.itemCount()).isEqualTo(3000);
        }
    }
}
