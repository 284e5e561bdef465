package dev.ddbreplicator.kcl.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tells the record processors' retry loops that the worker is stopping, and wakes them from their waits. */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Waits for the given time, or less if the worker stops meanwhile.
     *
     * @return true when the worker is stopping (an interrupt counts: KCL interrupts its tasks on a hard stop)
     */
    public boolean await(Duration wait) {
        try {
            return stopped.await(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
