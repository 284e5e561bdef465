package dev.ddbreplicator.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Shows how long work is going: on a terminal one line rewritten in place twice a second; in a
 * log or a pipe a plain line every few seconds. The line is whatever the verb renders.
 */
final class Progress implements AutoCloseable {

    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    private final PrintStream stream;
    private final boolean terminal;
    private final Supplier<String> line;
    private final ScheduledExecutorService timer;
    private int lastLength;

    private Progress(PrintStream stream, boolean terminal, Supplier<String> line, Duration plainInterval) {
        this.stream = stream;
        this.terminal = terminal;
        this.line = line;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        long every = terminal ? 500 : plainInterval.toMillis();
        timer.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts showing {@code line} on the output's progress stream. */
    static Progress start(Output output, Supplier<String> line) {
        return start(output, line, PLAIN_INTERVAL);
    }

    static Progress start(Output output, Supplier<String> line, Duration plainInterval) {
        PrintStream stream = output.progress();
        boolean terminal = System.console() != null && (stream == System.out || stream == System.err);
        return new Progress(stream, terminal, line, plainInterval);
    }

    /** A line about counted work: {@code label: N unit, R unit/s[, ETA]} from a counter and an optional total (0: unknown). */
    static Supplier<String> counter(String label, String unit, LongSupplier done, long total) {
        long started = System.nanoTime();
        return () -> {
            long count = done.getAsLong();
            double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
            double rate = count / seconds;
            StringBuilder text = new StringBuilder(label).append(": ").append(String.format(Locale.ROOT, "%,d", count));
            if (total > 0) {
                text.append(String.format(Locale.ROOT, " of ~%,d", total));
            }
            text.append(' ').append(unit).append(String.format(Locale.ROOT, ", %,.0f %s/s", rate, unit));
            if (total > count && rate > 0) {
                text.append(", ETA ").append(duration((long) ((total - count) / rate)));
            }
            return text.toString();
        };
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    private synchronized void show() {
        String text = line.get();
        if (terminal) {
            stream.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
        } else {
            stream.println(text);
        }
        stream.flush();
    }

    /** Stops, leaving the last line in place on a terminal. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (terminal && lastLength > 0) {
            stream.println();
        }
    }
}
