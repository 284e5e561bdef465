package dev.ddbreplicator.backup;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far a backup or restore has come.
 *
 * @param phase what is being done: {@code export}, {@code verify} or {@code restore}
 * @param itemsDone items read (export, verify) or written (restore) so far
 * @param itemsTotal the total when known: the manifest's count for restores, DescribeTable's
 *                   approximate count (refreshed by AWS about every six hours) for exports
 * @param itemsPerSecond the average rate since the phase started
 * @param eta the time left at that rate, when the total is known
 * @param filesDone data files finished
 * @param filesTotal data files in all, or 0 while unknown (exports)
 */
public record Progress(String phase, long itemsDone, OptionalLong itemsTotal, double itemsPerSecond, Optional<Duration> eta,
                       int filesDone, int filesTotal) {

    /** e.g. {@code restore: 41200/100000 items (41%), 9800 items/s, ETA 6s, files 3/8}. */
    public String describe() {
        StringBuilder line = new StringBuilder(phase).append(": ").append(itemsDone);
        if (itemsTotal.isPresent() && itemsTotal.getAsLong() > 0) {
            long total = itemsTotal.getAsLong();
            line.append('/').append(total).append(" items (").append(Math.min(100, itemsDone * 100 / total)).append("%)");
        } else {
            line.append(" items");
        }
        line.append(", ").append(Math.round(itemsPerSecond)).append(" items/s");
        eta.ifPresent(d -> line.append(", ETA ").append(d.toSeconds()).append('s'));
        if (filesTotal > 0) {
            line.append(", files ").append(filesDone).append('/').append(filesTotal);
        } else if (filesDone > 0) {
            line.append(", files ").append(filesDone);
        }
        return line.toString();
    }
}
