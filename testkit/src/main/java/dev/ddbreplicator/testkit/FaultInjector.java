package dev.ddbreplicator.testkit;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * An SDK interceptor that fails a share of DynamoDB calls with a throttling error, as a table at
 * its capacity would. Only the named operations are affected (all when none are named); it can
 * be switched on and off while a test runs.
 *
 * <p>{@link Phase#BEFORE_SEND} fails the call before it leaves the client. {@link Phase#AFTER_SEND}
 * lets the server do the work and then loses the answer: the write happened, but the caller is
 * told it failed, as after a timeout on the way back.
 */
public final class FaultInjector implements ExecutionInterceptor {

    /** When the call fails. */
    public enum Phase {
        BEFORE_SEND,
        AFTER_SEND
    }

    private final Phase phase;
    private final Set<String> operations;
    private final Random random;
    private volatile double share;
    private final AtomicLong injected = new AtomicLong();

    /**
     * @param share the share of matching calls to fail, 0 to 1
     * @param seed random seed, for reproducible runs
     * @param operations operation names such as {@code PutItem}; none means every operation
     */
    public FaultInjector(double share, long seed, String... operations) {
        this(Phase.BEFORE_SEND, share, seed, operations);
    }

    public FaultInjector(Phase phase, double share, long seed, String... operations) {
        this.phase = phase;
        this.share = share;
        this.random = new Random(seed);
        this.operations = Set.of(operations);
    }

    public void share(double newShare) {
        this.share = newShare;
    }

    /** How many calls were failed so far. */
    public long injected() {
        return injected.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (phase == Phase.BEFORE_SEND) {
            maybeFail(attributes);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (phase == Phase.AFTER_SEND) {
            maybeFail(attributes);
        }
    }

    private void maybeFail(ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!operations.isEmpty() && !operations.contains(operation)) {
            return;
        }
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < share;
        }
        if (fail) {
            injected.incrementAndGet();
            throw ProvisionedThroughputExceededException.builder()
                    .statusCode(400)
                    .message("injected throttling")
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("injected throttling")
                            .serviceName("DynamoDb")
                            .build())
                    .build();
        }
    }
}
