package dev.ddbreplicator.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class ErrorClassifierTest {

    @Test
    void throttlingServerErrorsAndIoAreRetryable() {
        assertThat(ErrorClassifier.classify(ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build()))
                .isEqualTo(ErrorKind.RETRYABLE);
        assertThat(ErrorClassifier.classify(DynamoDbException.builder().statusCode(503).build())).isEqualTo(ErrorKind.RETRYABLE);
        assertThat(ErrorClassifier.classify(SdkClientException.create("Connection refused"))).isEqualTo(ErrorKind.RETRYABLE);
        assertThat(ErrorClassifier.classify(new CompletionException(SdkClientException.create("x")))).isEqualTo(ErrorKind.RETRYABLE);
    }

    @Test
    void configurationFaultsAreRetryableSoNothingIsDropped() {
        assertThat(ErrorClassifier.classify(ResourceNotFoundException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build()))
                .isEqualTo(ErrorKind.RETRYABLE);
    }

    @Test
    void validationErrorsAndPoisonAreFatal() {
        assertThat(ErrorClassifier.classify(DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build()))
                .isEqualTo(ErrorKind.FATAL);
        assertThat(ErrorClassifier.classify(new PoisonException("too big"))).isEqualTo(ErrorKind.FATAL);
    }
}
