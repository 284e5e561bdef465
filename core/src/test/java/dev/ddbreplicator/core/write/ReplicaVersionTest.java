package dev.ddbreplicator.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicaVersionTest {

    @Test
    void padsToFortyDigitsSoStringOrderIsNumericOrder() {
        ReplicaVersion small = ReplicaVersion.of("999");
        ReplicaVersion large = ReplicaVersion.of("1000");

        assertThat(small.value()).hasSize(40).endsWith("999").startsWith("0000");
        assertThat(large.value().compareTo(small.value())).isPositive();
        assertThat(large.isNewerThan(small)).isTrue();
    }

    @Test
    void backfillIsOlderThanAnyStreamVersion() {
        assertThat(ReplicaVersion.of("1").isNewerThan(ReplicaVersion.BACKFILL)).isTrue();
    }

    @Test
    void rejectsWhatIsNotASequenceNumber() {
        assertThatThrownBy(() -> ReplicaVersion.of("12a")).hasMessageContaining("decimal digits");
        assertThatThrownBy(() -> ReplicaVersion.of("1".repeat(41))).hasMessageContaining("1 to 40");
        assertThatThrownBy(() -> ReplicaVersion.of("")).hasMessageContaining("decimal digits");
    }
}
