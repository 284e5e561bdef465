package dev.ddbreplicator.backup.export;

import dev.ddbreplicator.backup.run.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The export's read limit, shared by all segments. In items per second it charges each page's item
 * count; as a share of provisioned read capacity it charges what each page reports it consumed
 * (ConsumedCapacity), and re-reads the table's capacity every minute so autoscaling is followed.
 */
interface ReadThrottle {

    /** No limit. */
    ReadThrottle NONE = new ReadThrottle() {
        @Override
        public Optional<Integer> pageLimit() {
            return Optional.empty();
        }

        @Override
        public void consumed(ScanResponse page) {
        }
    };

    /** The Scan page size that keeps pages to about a second of budget per thread, if any. */
    Optional<Integer> pageLimit();

    /** Charges a page; waits while over the limit. */
    void consumed(ScanResponse page) throws InterruptedException;

    static ReadThrottle itemsPerSecond(double rate, int threads) {
        RateLimiter limiter = new RateLimiter(rate);
        int limit = (int) Math.max(10, Math.min(1000, rate / Math.max(1, threads)));
        return new ReadThrottle() {
            @Override
            public Optional<Integer> pageLimit() {
                return Optional.of(limit);
            }

            @Override
            public void consumed(ScanResponse page) throws InterruptedException {
                limiter.acquire(page.count() == null ? page.items().size() : page.count());
            }
        };
    }

    /**
     * @param share the share of provisioned read capacity to use, 0 to 1
     * @param provisionedRcu reads the table's current provisioned read capacity units
     * @param bytesPerItem the table's average item size, to size pages
     */
    static ReadThrottle capacityShare(double share, LongSupplier provisionedRcu, long bytesPerItem, int threads, Clock clock) {
        long rcu = Math.max(1, provisionedRcu.getAsLong());
        RateLimiter limiter = new RateLimiter(share * rcu);
        // An eventually consistent read of up to 4 KB costs half a unit.
        double unitsPerItem = Math.max(0.5, Math.ceil(Math.max(1, bytesPerItem) / 4096.0) / 2);
        int limit = (int) Math.max(10, Math.min(1000, share * rcu / unitsPerItem / Math.max(1, threads)));
        return new ReadThrottle() {
            private Instant nextRefresh = clock.instant().plus(Duration.ofMinutes(1));

            @Override
            public Optional<Integer> pageLimit() {
                return Optional.of(limit);
            }

            @Override
            public void consumed(ScanResponse page) throws InterruptedException {
                double units = page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null
                        ? page.consumedCapacity().capacityUnits()
                        : page.items().size() * unitsPerItem;
                refreshIfDue();
                limiter.acquire(units);
            }

            private void refreshIfDue() {
                Instant now = clock.instant();
                synchronized (this) {
                    if (now.isBefore(nextRefresh)) {
                        return;
                    }
                    nextRefresh = now.plus(Duration.ofMinutes(1));
                }
                try {
                    limiter.rate(share * Math.max(1, provisionedRcu.getAsLong()));
                } catch (RuntimeException e) {
                    // keep the last known capacity; DescribeTable failing must not stop the export
                }
            }
        };
    }
}
