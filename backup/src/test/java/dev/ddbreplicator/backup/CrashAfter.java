package dev.ddbreplicator.backup;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Simulates the process dying: the call that takes the count over the limit is carried out by the
 * server and then its answer is lost to an {@link Error} (no retry catches it), and every later call
 * of that operation dies at once, as if the process were gone.
 */
final class CrashAfter implements ExecutionInterceptor {

    /** The simulated death; an Error so that nothing in the product retries it. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash");
        }
    }

    private final String operation;
    private final AtomicInteger left;
    private volatile boolean crashed;

    CrashAfter(String operation, int calls) {
        this.operation = operation;
        this.left = new AtomicInteger(calls);
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (crashed && operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            throw new Crash();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && left.decrementAndGet() < 0) {
            crashed = true;
            throw new Crash();
        }
    }
}
