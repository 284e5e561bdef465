package dev.ddbreplicator.core.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.testkit.LocalRegionsExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class PairRegistryTest {

    @RegisterExtension
    static final LocalRegionsExtension AWS = LocalRegionsExtension.of("us-east-1");

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void theControlTableIsCreatedOnFirstUseAndPairsCanBeAddedListedAndRemoved() {
        try (DynamoDbClient client = AWS.source().client()) {
            PairRegistry registry = registry(client, "pairs-crud");
            assertThat(registry.list()).isEmpty();
            assertThat(client.listTables().tableNames()).doesNotContain("pairs-crud");

            TablePair orders = TablePair.of("orders", "Orders", "us-east-1", "Orders", "eu-west-1", clock.instant());
            TablePair users = TablePair.of("users", "Users", "us-east-1", "Users", "eu-west-1", clock.instant())
                    .withSettings(Optional.of("arn:aws:iam::123456789012:role/w"), "_ver", TtlDeletePolicy.SKIP);
            registry.add(orders);
            registry.add(users);

            assertThat(client.listTables().tableNames()).contains("pairs-crud");
            assertThat(registry.list()).containsExactly(orders, users);
            assertThat(registry.get("users")).contains(users);
            assertThat(registry.findBySource("Orders", "us-east-1")).containsExactly(orders);
            assertThat(registry.findBySource("Orders", "eu-west-1")).isEmpty();
            assertThat(registry.remove("orders")).isTrue();
            assertThat(registry.remove("orders")).isFalse();
            assertThat(registry.list()).containsExactly(users);
        }
    }

    @Test
    void aTakenIdIsRefused() {
        try (DynamoDbClient client = AWS.source().client()) {
            PairRegistry registry = registry(client, "pairs-dup");
            registry.add(TablePair.of("orders", "Orders", "us-east-1", "Orders", "eu-west-1", clock.instant()));
            assertThatThrownBy(() -> registry.add(TablePair.of("orders", "Other", "us-east-1", "Other", "eu-west-1", clock.instant())))
                    .isInstanceOf(PairExistsException.class).hasMessageContaining("orders");
        }
    }

    @Test
    void readsAreCachedForTheConfiguredTimeThenRefreshed() {
        try (DynamoDbClient client = AWS.source().client()) {
            PairRegistry writer = registry(client, "pairs-cache");
            PairRegistry reader = registry(client, "pairs-cache");
            writer.add(TablePair.of("a", "A-table", "us-east-1", "A-table", "eu-west-1", clock.instant()));
            assertThat(reader.list()).hasSize(1);

            writer.add(TablePair.of("b", "B-table", "us-east-1", "B-table", "eu-west-1", clock.instant()));
            clock.advance(Duration.ofSeconds(59));
            assertThat(reader.list()).as("still cached").hasSize(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(reader.list()).as("expired").hasSize(2);
        }
    }

    @Test
    void stateChangesAreKept() {
        try (DynamoDbClient client = AWS.source().client()) {
            PairRegistry registry = registry(client, "pairs-state");
            TablePair pair = TablePair.of("a", "A-table", "us-east-1", "A-table", "eu-west-1", clock.instant());
            registry.add(pair.withState(PairState.BACKFILLING, clock.instant()));
            registry.update(pair.withState(PairState.ACTIVE, clock.instant().plusSeconds(5)));

            assertThat(registry.get("a")).get().satisfies(p -> {
                assertThat(p.state()).isEqualTo(PairState.ACTIVE);
                assertThat(p.updatedAt()).isEqualTo(clock.instant().plusSeconds(5));
            });
            assertThatThrownBy(() -> registry.update(TablePair.of("zz", "Z-table", "us-east-1", "Z-table", "eu-west-1", clock.instant())))
                    .hasMessageContaining("no pair with id zz");
        }
    }

    private PairRegistry registry(DynamoDbClient client, String table) {
        return new PairRegistry(client, table, clock, PairRegistry.DEFAULT_CACHE, new Retrier(RetryPolicy.CONTROL));
    }
}
