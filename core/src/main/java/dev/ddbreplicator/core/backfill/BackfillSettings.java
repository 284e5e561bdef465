package dev.ddbreplicator.core.backfill;

/**
 * How a backfill scans and writes.
 *
 * @param segments parallel scan segments (threads reading the source)
 * @param itemsPerSecond read and write rate limit; 0 means none
 * @param writeConcurrency replica writes in flight at once, over all segments
 * @param pageSize items per scan page
 */
public record BackfillSettings(int segments, double itemsPerSecond, int writeConcurrency, int pageSize) {

    public static final int DEFAULT_SEGMENTS = 4;
    public static final int DEFAULT_WRITE_CONCURRENCY = 16;
    public static final int DEFAULT_PAGE_SIZE = 500;

    public BackfillSettings {
        if (segments < 1 || segments > 1_000_000) {
            throw new IllegalArgumentException("segments must be 1 to 1000000, got " + segments);
        }
        if (itemsPerSecond < 0 || Double.isNaN(itemsPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of items per second (0 for no limit), got " + itemsPerSecond);
        }
        if (writeConcurrency < 1 || writeConcurrency > 1024) {
            throw new IllegalArgumentException("write concurrency must be 1 to 1024, got " + writeConcurrency);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, got " + pageSize);
        }
    }

    public static BackfillSettings defaults() {
        return new BackfillSettings(DEFAULT_SEGMENTS, 0, DEFAULT_WRITE_CONCURRENCY, DEFAULT_PAGE_SIZE);
    }

    public BackfillSettings withSegments(int newSegments) {
        return new BackfillSettings(newSegments, itemsPerSecond, writeConcurrency, pageSize);
    }

    public BackfillSettings withRate(double newItemsPerSecond) {
        return new BackfillSettings(segments, newItemsPerSecond, writeConcurrency, pageSize);
    }
}
