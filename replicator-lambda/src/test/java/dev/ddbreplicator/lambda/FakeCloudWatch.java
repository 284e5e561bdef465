package dev.ddbreplicator.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ddbreplicator.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the CloudWatch endpoint: an HTTP server on a loopback port that accepts every
 * call, answers as CloudWatch does for {@code PutMetricData} (in whichever protocol the SDK
 * speaks) and keeps each request for the test to look at.
 */
final class FakeCloudWatch implements AutoCloseable {

    /** One request as it arrived. */
    record Call(String path, String target, String contentType, byte[] body) {

        /** Whether the body holds this text (metric names, dimension values and the namespace travel as plain UTF-8). */
        boolean mentions(String text) {
            return new String(body, StandardCharsets.ISO_8859_1).contains(new String(text.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1));
        }

        boolean isPutMetricData() {
            return path.endsWith("/PutMetricData") || "GraniteServiceVersion20100801.PutMetricData".equals(target)
                    || mentions("Action=PutMetricData");
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    FakeCloudWatch() {
        // Without it the JDK server's small writes wait for delayed ACKs: 40 ms a call that CloudWatch does not take.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake CloudWatch endpoint", e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> putMetricData() {
        return calls.stream().filter(Call::isPutMetricData).toList();
    }

    void clear() {
        calls.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        calls.add(new Call(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("X-Amz-Target"), contentType, body));
        byte[] answer;
        if (contentType.contains("cbor")) {
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            answer = new byte[] {(byte) 0xA0};
        } else if (contentType.contains("json")) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            answer = "{}".getBytes(StandardCharsets.UTF_8);
        } else {
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            answer = ("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata>"
                    + "<RequestId>local</RequestId></ResponseMetadata></PutMetricDataResponse>").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("x-amzn-RequestId", "local");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
