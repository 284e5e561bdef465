package dev.ddbreplicator.reliability;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link KclWorkerFaultsTest} with ten kills of the shard's holder during one workload instead of one:
 * the by-hand run ({@code scripts/soak --long}, or {@code -Dreliability.groups=long}).
 */
@Tag("long")
class KclWorkerTenKillsTest extends KclWorkerFaultsTest {

    @BeforeAll
    static void run() throws Exception {
        outcome = scenario(10, "kcl-faults-10-kills");
    }
}
