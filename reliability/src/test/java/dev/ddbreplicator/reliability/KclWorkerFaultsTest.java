package dev.ddbreplicator.reliability;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KclWorkerFaults} in the default suite: no kill (each costs about 20 s, and KclCrashRestartTest
 * kills a worker there already), then the frozen worker and the takeover.
 */
class KclWorkerFaultsTest extends KclWorkerFaults {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    @BeforeAll
    static void run() throws Exception {
        outcome = scenario(AWS, S3, 0, "kcl-faults");
    }
}
