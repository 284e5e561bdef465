package dev.ddbreplicator.kcl.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP endpoints, on the JDK's own server:
 * <ul>
 *   <li>{@code /health}: 200 while healthy, 503 otherwise, with the {@link HealthReport} as JSON;
 *       what the supervisor polls.</li>
 *   <li>{@code /ready}: 200 once KCL runs (leases can be taken), 503 before and after.</li>
 *   <li>{@code /metrics}: every meter in Prometheus text.</li>
 * </ul>
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on all interfaces.
     *
     * @param port the port, or 0 for a free one
     * @throws IOException when the port cannot be bound
     */
    public static HealthServer start(int port, WorkerHealth health, PrometheusMeterRegistry prometheus) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (BindException e) {
            throw new BindException("port " + port + " is in use");
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "health-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            HealthReport report = health.report();
            respond(exchange, report.healthy() ? 200 : 503, JSON, report.toJson() + "\n");
        });
        server.createContext("/ready", exchange -> {
            boolean ready = health.state() == WorkerState.RUNNING;
            respond(exchange, ready ? 200 : 503, JSON, "{\"ready\":" + ready + ",\"state\":\"" + health.state() + "\"}\n");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, prometheus.scrape()));
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain", "try /health, /ready or /metrics\n"));
        server.start();
        return new HealthServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("answering {} failed: {}", exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
