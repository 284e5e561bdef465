package dev.ddbreplicator.kcl.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a worker's HTTP endpoints, once or every few hundred milliseconds in the background, and remembers the answers. */
final class HealthProbe implements AutoCloseable {

    /** One answer: the status code (0 when the worker did not answer) and the body. */
    record Answer(int status, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final List<Answer> answers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    HealthProbe(int port) {
        this.port = port;
    }

    static Answer get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** Waits until {@code path} answers 200. */
    static boolean await(int port, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (get(port, path).status() == 200) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** Starts asking /health every {@code every}. */
    HealthProbe start(Duration every) {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                Answer answer = get(port, "/health");
                if (!running.get()) {
                    // stop() interrupted this request: that is no answer of the worker's (issue 7: a flaky "status 0").
                    return;
                }
                synchronized (answers) {
                    answers.add(answer);
                }
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "health-probe");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    List<Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    List<Answer> failures() {
        return answers().stream().filter(a -> a.status() != 200).toList();
    }

    /** Stops asking and waits for the last answer. */
    void stop() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
