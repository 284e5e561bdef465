package dev.ddbreplicator.backup.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a fixed number of threads and stops them all at the first failure, so a failed run
 * never goes on half-way. Stopping is cooperative first: tasks see {@link Stop#requested()} between
 * calls and end after the call in flight, whose outcome is then known and recorded; only tasks still
 * running after a grace period are interrupted.
 */
public final class Workers {

    /** How long tasks get to finish the call in flight after a failure before they are interrupted. */
    static final long GRACE_SECONDS = 30;

    private Workers() {
    }

    /** Set when the run is failing; tasks check it before each call that writes. */
    public static final class Stop {
        private volatile boolean requested;

        public boolean requested() {
            return requested;
        }

        void request() {
            requested = true;
        }

        /** Throws when a stop was requested, to end the task between two calls. */
        public void check() throws StoppedException {
            if (requested) {
                throw new StoppedException();
            }
        }
    }

    /** A task ended because another failed. */
    public static final class StoppedException extends Exception {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super("stopped because another task failed");
        }
    }

    /** Daemon threads named {@code <name>-<n>}, for pools that must never keep the JVM alive. */
    public static ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs every task; returns their results in task order, or throws the first failure's cause. */
    public static <T> List<T> runAll(String name, int threads, List<Callable<T>> tasks) throws Throwable {
        return runAll(name, threads, tasks, new Stop());
    }

    /** Like {@link #runAll(String, int, List)}, with the stop signal the tasks watch. */
    public static <T> List<T> runAll(String name, int threads, List<Callable<T>> tasks, Stop stop) throws Throwable {
        if (tasks.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), daemonThreads(name));
        boolean failed = true;
        try {
            ExecutorCompletionService<T> completion = new ExecutorCompletionService<>(pool);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(completion.submit(task));
            }
            Throwable first = null;
            for (int i = 0; i < tasks.size(); i++) {
                Future<T> done = completion.take();
                try {
                    done.get();
                } catch (ExecutionException e) {
                    if (first == null && !(e.getCause() instanceof StoppedException)) {
                        first = e.getCause();
                        stop.request();
                        // Tasks not started yet never start; running ones end after their call in flight.
                        futures.forEach(f -> f.cancel(false));
                        pool.shutdown();
                        if (!pool.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
                            pool.shutdownNow();
                        }
                        throw first;
                    }
                } catch (CancellationException e) {
                    // cancelled by us after a failure, which is thrown already
                }
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            failed = false;
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            stop.request();
            pool.shutdownNow();
            if (failed) {
                // No task may go on writing (or checkpointing) after the run has thrown.
                try {
                    pool.awaitTermination(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
