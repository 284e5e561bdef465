package dev.ddbreplicator.bench.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Reads a cumulative counter every few milliseconds in its own thread and keeps (nanos, count) samples. */
final class Sampler implements AutoCloseable {

    private final LongSupplier counter;
    private final long baseline;
    private final List<long[]> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String error;

    /** Starts sampling; counts are kept relative to {@code baseline}, the counter's value before the work began. */
    Sampler(LongSupplier counter, long baseline, long everyMillis) {
        this.counter = counter;
        this.baseline = baseline;
        add(System.nanoTime(), 0);
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    long count = counter.getAsLong() - baseline;
                    add(System.nanoTime(), count);
                } catch (RuntimeException e) {
                    error = e.toString();
                }
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void add(long nanos, long count) {
        samples.add(new long[] {nanos, count});
    }

    /** The latest count, relative to the start. */
    synchronized long latest() {
        return samples.get(samples.size() - 1)[1];
    }

    synchronized List<long[]> samples() {
        return new ArrayList<>(samples);
    }

    /** The last error reading the counter, if any (null when none). */
    String error() {
        return error;
    }

    /**
     * Waits until the count reaches {@code target}; fails if it stops moving for {@code stall}.
     *
     * @return the nanos when it got there
     */
    long awaitCount(long target, long stallMillis, String what) throws InterruptedException {
        long lastCount = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long count = latest();
            if (count >= target) {
                synchronized (this) {
                    for (long[] sample : samples) {
                        if (sample[1] >= target) {
                            return sample[0];
                        }
                    }
                }
            }
            if (count != lastCount) {
                lastCount = count;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > stallMillis * 1_000_000L) {
                throw new IllegalStateException(what + ": stuck at " + count + " of " + target + " for " + stallMillis / 1000 + " s"
                        + (error == null ? "" : " (last error reading the count: " + error + ")"));
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
