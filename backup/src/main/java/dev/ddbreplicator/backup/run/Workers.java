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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a fixed number of threads and stops them all at the first failure: the other tasks
 * are interrupted and the first error is thrown, so a failed run never goes on half-way.
 */
public final class Workers {

    private Workers() {
    }

    /** Runs every task; returns their results in task order, or throws the first failure's cause. */
    public static <T> List<T> runAll(String name, int threads, List<Callable<T>> tasks) throws Throwable {
        if (tasks.isEmpty()) {
            return List.of();
        }
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread thread = new Thread(r, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            ExecutorCompletionService<T> completion = new ExecutorCompletionService<>(pool);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(completion.submit(task));
            }
            for (int i = 0; i < tasks.size(); i++) {
                Future<T> done = completion.take();
                try {
                    done.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw e.getCause();
                } catch (CancellationException e) {
                    // only cancelled by us after a failure, which was thrown already
                }
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            pool.shutdownNow();
            // No task may go on writing (or checkpointing) after the run has returned or thrown.
            try {
                pool.awaitTermination(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
