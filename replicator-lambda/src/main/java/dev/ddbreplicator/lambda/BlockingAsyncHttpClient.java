package dev.ddbreplicator.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;

/**
 * An async SDK HTTP client that makes each call with a blocking one, on its own threads.
 *
 * <p>Micrometer's CloudWatch registry needs the async CloudWatch client, and the SDK's async HTTP
 * clients are Netty (about 3 MB more in the jar, and its own event loops) or the CRT (native
 * code, far bigger). For one small {@code PutMetricData} call per invocation, running the sync
 * Apache client that the jar carries anyway on a thread is plenty: request and response bodies
 * are read whole, which is fine for metrics and wrong for large transfers.
 */
final class BlockingAsyncHttpClient implements SdkAsyncHttpClient {

    private final SdkHttpClient delegate;
    // Threads start on first use and end when idle: none exists when a SnapStart snapshot is taken.
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());

    BlockingAsyncHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        readWhole(request.requestContentPublisher())
                .thenAcceptAsync(body -> call(request, body, done), executor)
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        fail(request, done, error);
                    }
                });
        return done;
    }

    private void call(AsyncExecuteRequest request, byte[] body, CompletableFuture<Void> done) {
        try {
            HttpExecuteRequest.Builder builder = HttpExecuteRequest.builder().request(request.request());
            if (body.length > 0) {
                builder.contentStreamProvider(() -> new ByteArrayInputStream(body));
            }
            ExecutableHttpRequest call = delegate.prepareRequest(builder.build());
            HttpExecuteResponse response = call.call();
            byte[] content = readAll(response.responseBody());
            request.responseHandler().onHeaders(response.httpResponse());
            request.responseHandler().onStream(new WholeBodyPublisher(content, done));
        } catch (IOException | RuntimeException e) {
            fail(request, done, e);
        }
    }

    private static void fail(AsyncExecuteRequest request, CompletableFuture<Void> done, Throwable error) {
        if (done.isDone()) {
            return;
        }
        try {
            request.responseHandler().onError(error);
        } finally {
            done.completeExceptionally(error);
        }
    }

    private static byte[] readAll(Optional<? extends InputStream> body) {
        if (body.isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = body.get()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<byte[]> readWhole(SdkHttpContentPublisher publisher) {
        CompletableFuture<byte[]> whole = new CompletableFuture<>();
        if (publisher == null) {
            whole.complete(new byte[0]);
            return whole;
        }
        publisher.subscribe(new Subscriber<ByteBuffer>() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.write(bytes, 0, bytes.length);
            }

            @Override
            public void onError(Throwable error) {
                whole.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                whole.complete(out.toByteArray());
            }
        });
        return whole;
    }

    @Override
    public String clientName() {
        return "BlockingApache";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        delegate.close();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "metrics-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Hands a response body, already read, to the SDK as a one-buffer stream; the call is done when it is consumed. */
    private static final class WholeBodyPublisher implements Publisher<ByteBuffer> {
        private final byte[] content;
        private final CompletableFuture<Void> done;

        WholeBodyPublisher(byte[] content, CompletableFuture<Void> done) {
            this.content = content;
            this.done = done;
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            AtomicBoolean finished = new AtomicBoolean();
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (!finished.compareAndSet(false, true)) {
                        return;
                    }
                    if (n <= 0) {
                        // Reactive Streams rule 3.9: a non-positive request is an error.
                        subscriber.onError(new IllegalArgumentException("requested " + n + " buffers"));
                        done.complete(null);
                        return;
                    }
                    if (content.length > 0) {
                        subscriber.onNext(ByteBuffer.wrap(content).asReadOnlyBuffer());
                    }
                    subscriber.onComplete();
                    done.complete(null);
                }

                @Override
                public void cancel() {
                    if (finished.compareAndSet(false, true)) {
                        done.complete(null);
                    }
                }
            });
        }
    }
}
