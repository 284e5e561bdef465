package dev.ddbreplicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddbreplicator.core.pair.TablePair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PairCyclesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aPairBackToItsOwnSourceClosesATwoTableLoop() {
        TablePair ab = TablePair.of("ab", "TableA", "us-east-1", "TableB", "eu-west-1", NOW);
        TablePair ba = TablePair.of("ba", "TableB", "eu-west-1", "TableA", "us-east-1", NOW);
        assertThat(PairCycles.cycle(List.of(ab), ba).map(PairCycles::describe))
                .contains("TableB@eu-west-1 -> TableA@us-east-1 -> TableB@eu-west-1");
    }

    @Test
    void aLongerLoopIsFoundAndNamedInOrder() {
        TablePair ab = TablePair.of("ab", "TableA", "us-east-1", "TableB", "eu-west-1", NOW);
        TablePair bc = TablePair.of("bc", "TableB", "eu-west-1", "TableC", "ap-south-1", NOW);
        TablePair ca = TablePair.of("ca", "TableC", "ap-south-1", "TableA", "us-east-1", NOW);
        assertThat(PairCycles.cycle(List.of(ab, bc), ca).map(PairCycles::describe))
                .contains("TableC@ap-south-1 -> TableA@us-east-1 -> TableB@eu-west-1 -> TableC@ap-south-1");
    }

    @Test
    void aFanOutAndAChainWithoutLoopAreFine() {
        TablePair ab = TablePair.of("ab", "TableA", "us-east-1", "TableB", "eu-west-1", NOW);
        TablePair ac = TablePair.of("ac", "TableA", "us-east-1", "TableC", "eu-west-1", NOW);
        TablePair bd = TablePair.of("bd", "TableB", "eu-west-1", "TableD", "ap-south-1", NOW);
        assertThat(PairCycles.cycle(List.of(ab, ac), bd)).isEmpty();
    }

    @Test
    void aReplicaInAnotherAccountIsAnotherTableEvenWithTheSameNameAndRegion() {
        TablePair ab = TablePair.of("ab", "TableA", "us-east-1", "TableB", "eu-west-1", NOW)
                .withSettings(Optional.of("arn:aws:iam::123456789012:role/replicator"), "_rv", dev.ddbreplicator.core.pair.TtlDeletePolicy.REPLICATE);
        TablePair ba = TablePair.of("ba", "TableB", "eu-west-1", "TableA", "us-east-1", NOW);
        assertThat(PairCycles.cycle(List.of(ab), ba)).isEmpty();
    }
}
