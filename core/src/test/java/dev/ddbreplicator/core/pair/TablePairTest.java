package dev.ddbreplicator.core.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TablePairTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aValidPairKeepsItsSettings() {
        TablePair pair = TablePair.of("orders", "Orders", "us-east-1", "Orders", "eu-west-1", NOW);

        assertThat(pair.versionAttribute()).isEqualTo("_rv");
        assertThat(pair.ttlDeletes()).isEqualTo(TtlDeletePolicy.REPLICATE);
        assertThat(pair.state()).isEqualTo(PairState.ACTIVE);
    }

    @Test
    void theSameTableInTheSameRegionIsRefused() {
        assertThatThrownBy(() -> TablePair.of("loop", "Orders", "us-east-1", "Orders", "us-east-1", NOW))
                .hasMessageContaining("same table").hasMessageContaining("Orders").hasMessageContaining("us-east-1");
    }

    @Test
    void theSameTableNameInAnotherAccountIsAllowed() {
        TablePair pair = new TablePair("x", "Orders", "us-east-1", "Orders", "us-east-1",
                Optional.of("arn:aws:iam::123456789012:role/replica-writer"), "_rv", TtlDeletePolicy.REPLICATE, PairState.ACTIVE, NOW, NOW);
        assertThat(pair.replicaRoleArn()).isPresent();
    }

    @Test
    void anUnknownRegionIsRefusedByName() {
        assertThatThrownBy(() -> TablePair.of("x", "Orders", "us-east-1", "Orders", "mars-north-1", NOW))
                .hasMessageContaining("replica region 'mars-north-1'");
        assertThatThrownBy(() -> TablePair.of("x", "Orders", "", "Orders", "eu-west-1", NOW))
                .hasMessageContaining("source region is empty");
    }

    @Test
    void emptyOrInvalidNamesAreRefusedByName() {
        assertThatThrownBy(() -> TablePair.of("x", "", "us-east-1", "Orders", "eu-west-1", NOW))
                .hasMessageContaining("source table is empty");
        assertThatThrownBy(() -> TablePair.of("x", "Orders", "us-east-1", " ", "eu-west-1", NOW))
                .hasMessageContaining("replica table is empty");
        assertThatThrownBy(() -> TablePair.of("", "Orders", "us-east-1", "Orders", "eu-west-1", NOW))
                .hasMessageContaining("pair id is empty");
        assertThatThrownBy(() -> TablePair.of("x", "Or ders", "us-east-1", "Orders", "eu-west-1", NOW))
                .hasMessageContaining("'Or ders' is not a DynamoDB table name");
        assertThatThrownBy(() -> TablePair.of("x/y", "Orders", "us-east-1", "Orders", "eu-west-1", NOW))
                .hasMessageContaining("pair id 'x/y'");
    }

    @Test
    void badSettingsAreRefusedByName() {
        TablePair pair = TablePair.of("x", "Orders", "us-east-1", "Orders", "eu-west-1", NOW);
        assertThatThrownBy(() -> pair.withSettings(Optional.of("not-an-arn"), "_rv", TtlDeletePolicy.REPLICATE))
                .hasMessageContaining("role ARN 'not-an-arn'");
        assertThatThrownBy(() -> pair.withSettings(Optional.empty(), "", TtlDeletePolicy.REPLICATE))
                .hasMessageContaining("version attribute");
        assertThatThrownBy(() -> TtlDeletePolicy.parse("maybe")).hasMessageContaining("replicate or skip");
    }

    @Test
    void defaultIdsAreValidEvenForLongNames() {
        String longName = "t".repeat(200);
        String id = TablePair.defaultId(longName, "us-east-1", longName, "eu-west-1");
        assertThat(Names.pairId(id)).hasSizeLessThanOrEqualTo(100);
    }
}
