package dev.ddbreplicator.lambda;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * The core's meters, published to CloudWatch once per invocation.
 *
 * <p>A Lambda execution environment is frozen between invocations, so a registry that publishes
 * from a background thread every step would publish late, or never. Instead the replicators
 * record into one long-lived composite registry, and each invocation gets a fresh CloudWatch
 * registry under it: {@link #begin()} adds it, {@link #publish()} detaches and closes it, and
 * closing a step registry publishes the step in progress. So each invocation sends exactly what it
 * recorded, with one {@code PutMetricData} call (up to 1,000 values) at its end.
 */
public final class InvocationMetrics implements AutoCloseable {

    /** Longer than any invocation (15 minutes at most): a registry never lives into a second step. */
    private static final Duration STEP = Duration.ofHours(1);

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final CloudWatchConfig config;
    private final CloudWatchAsyncClient client;
    private InvocationRegistry current;

    private InvocationMetrics(CloudWatchConfig config, CloudWatchAsyncClient client) {
        this.config = config;
        this.client = client;
    }

    /** Metrics to CloudWatch under this namespace, through this client (which the caller closes). */
    public static InvocationMetrics cloudWatch(String namespace, CloudWatchAsyncClient client) {
        CloudWatchConfig config = new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Duration step() {
                return STEP;
            }

            @Override
            public boolean highResolution() {
                return false;
            }

            @Override
            @SuppressWarnings("deprecation")
            public Duration readTimeout() {
                return Duration.ofSeconds(5);
            }
        };
        return new InvocationMetrics(config, client);
    }

    /** No metrics: meters record nothing and nothing is sent. */
    public static InvocationMetrics none() {
        return new InvocationMetrics(null, null);
    }

    /** Where the replicators register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    public boolean enabled() {
        return client != null;
    }

    /** Starts recording an invocation. */
    public synchronized void begin() {
        if (!enabled()) {
            return;
        }
        if (current != null) {
            publish();
        }
        current = new InvocationRegistry(config, client);
        registry.add(current);
    }

    /** Sends what the invocation recorded; failures are logged by the registry, never thrown. */
    public synchronized void publish() {
        if (current == null) {
            return;
        }
        registry.remove(current);
        current.close();
        current = null;
    }

    @Override
    public void close() {
        publish();
        registry.close();
    }

    /** A CloudWatch registry that publishes only when closed: no scheduler threads. */
    private static final class InvocationRegistry extends CloudWatchMeterRegistry {

        InvocationRegistry(CloudWatchConfig config, CloudWatchAsyncClient client) {
            super(config, Clock.SYSTEM, client);
        }

        @Override
        public void start(ThreadFactory threadFactory) {
            // Published once, on close, by the invocation that owns it.
        }
    }
}
