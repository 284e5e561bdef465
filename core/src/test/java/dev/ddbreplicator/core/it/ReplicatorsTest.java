package dev.ddbreplicator.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.core.aws.Replicators;
import dev.ddbreplicator.core.deadletter.DeadLetter;
import dev.ddbreplicator.core.deadletter.DeadLetterStore;
import dev.ddbreplicator.core.write.PairReplicator;
import dev.ddbreplicator.core.write.TombstoneTable;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;

class ReplicatorsTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1", "eu-west-1").persistent();

    private static final DeadLetterStore UNUSED = new DeadLetterStore() {
        @Override
        public void put(DeadLetter letter) {
        }

        @Override
        public List<DeadLetter> list(String pairId) {
            return List.of();
        }

        @Override
        public void delete(String pairId, String sequenceNumber) {
        }
    };

    @Test
    void aReplicaRegionOutOfReachAtStartIsCheckedForItsTombstoneTableAgainLater() {
        try (LocalReplication local = new LocalReplication(AWS.source(), AWS.replica(), Optional.empty())) {
            Replicators replicators = local.replicators(UNUSED);
            AWS.replica().stop();
            try {
                assertThatThrownBy(() -> replicators.create(local.pair("p", "orders", "orders")))
                        .isInstanceOf(SdkClientException.class);
            } finally {
                AWS.replica().start();
            }

            try (PairReplicator replicator = replicators.create(local.pair("p", "orders", "orders"))) {
                assertThat(replicator.pair().id()).isEqualTo("p");
            }
            assertThat(local.replicaClient().listTables().tableNames()).contains(TombstoneTable.DEFAULT_NAME);
        }
    }
}
