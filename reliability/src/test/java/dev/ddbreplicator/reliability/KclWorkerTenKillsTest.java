package dev.ddbreplicator.reliability;

import dev.ddbreplicator.testkit.LocalRegionsExtension;
import dev.ddbreplicator.testkit.LocalS3Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KclWorkerFaults} with ten kills of the shard's holder during one workload, then the frozen
 * worker: the by-hand run ({@code scripts/soak --long}, or {@code -Dreliability.groups=long}).
 */
@Tag("long")
class KclWorkerTenKillsTest extends KclWorkerFaults {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of(Stack.SOURCE_REGION, Stack.REPLICA_REGION);

    @RegisterExtension
    static final LocalS3Extension S3 = LocalS3Extension.inMemory();

    @BeforeAll
    static void run() throws Exception {
        outcome = scenario(AWS, S3, 10, "kcl-faults-10-kills");
    }
}
