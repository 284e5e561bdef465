package dev.ddbreplicator.backup.run;

import dev.ddbreplicator.backup.Progress;
import dev.ddbreplicator.backup.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts items and files of one phase and tells the listener at most once per interval. */
public final class ProgressTracker {

    private final String phase;
    private final OptionalLong total;
    private final int filesTotal;
    private final ProgressListener listener;
    private final Clock clock;
    private final long intervalMillis;
    private final long startMillis;
    private final AtomicLong items = new AtomicLong();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicLong nextReport;

    public ProgressTracker(String phase, OptionalLong total, int filesTotal, ProgressListener listener, Clock clock, Duration interval) {
        this.phase = phase;
        this.total = total;
        this.filesTotal = filesTotal;
        this.listener = listener;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.startMillis = clock.millis();
        this.nextReport = new AtomicLong(startMillis + intervalMillis);
    }

    /** Starts counting from items and files already done (a resumed restore). */
    public void already(long doneItems, int doneFiles) {
        items.addAndGet(doneItems);
        files.addAndGet(doneFiles);
    }

    public void items(long n) {
        items.addAndGet(n);
        maybeReport();
    }

    public void fileDone() {
        files.incrementAndGet();
        maybeReport();
    }

    public long itemsDone() {
        return items.get();
    }

    public int filesDone() {
        return files.get();
    }

    /** Reports the final state. */
    public Progress finish() {
        Progress progress = snapshot();
        listener.onProgress(progress);
        return progress;
    }

    public Progress snapshot() {
        long done = items.get();
        double seconds = Math.max(0.001, (clock.millis() - startMillis) / 1000.0);
        double rate = done / seconds;
        Optional<Duration> eta = Optional.empty();
        if (total.isPresent() && rate > 0) {
            long left = Math.max(0, total.getAsLong() - done);
            eta = Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
        }
        return new Progress(phase, done, total, rate, eta, files.get(), filesTotal);
    }

    private void maybeReport() {
        long now = clock.millis();
        long next = nextReport.get();
        if (now >= next && nextReport.compareAndSet(next, now + intervalMillis)) {
            listener.onProgress(snapshot());
        }
    }
}
