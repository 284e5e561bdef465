package dev.ddbreplicator.backup;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Lets {@code calls} calls of an operation through, then fails every later one with an error no retry can fix. */
final class FailAfter implements ExecutionInterceptor {

    private final String operation;
    private final AtomicInteger left;

    FailAfter(String operation, int calls) {
        this.operation = operation;
        this.left = new AtomicInteger(calls);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && left.decrementAndGet() < 0) {
            throw DynamoDbException.builder()
                    .statusCode(400)
                    .message("injected failure")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage("injected failure").build())
                    .build();
        }
    }
}
