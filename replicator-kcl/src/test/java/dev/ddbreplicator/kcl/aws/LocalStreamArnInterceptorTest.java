package dev.ddbreplicator.kcl.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsRequest;

class LocalStreamArnInterceptorTest {

    private static final String REAL = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2025-01-01T00:00:00.000";
    private static final String LOCAL = "arn:aws:dynamodb:ddblocal:000000000000:table/orders/stream/2025-01-01T00:00:00.000";

    private final LocalStreamArnInterceptor interceptor = new LocalStreamArnInterceptor();

    private SdkRequest modify(SdkRequest request) {
        Context.ModifyRequest context = () -> request;
        return interceptor.modifyRequest(context, new ExecutionAttributes());
    }

    @Test
    void requestsThatNameAStreamGetDynamoDbLocalsRegionBack() {
        assertThat(((DescribeStreamRequest) modify(DescribeStreamRequest.builder().streamArn(REAL).build())).streamArn()).isEqualTo(LOCAL);
        assertThat(((GetShardIteratorRequest) modify(GetShardIteratorRequest.builder().streamArn(REAL).shardId("s").build())).streamArn())
                .isEqualTo(LOCAL);
        assertThat(((ListStreamsRequest) modify(ListStreamsRequest.builder().exclusiveStartStreamArn(REAL).build()))
                .exclusiveStartStreamArn()).isEqualTo(LOCAL);
    }

    @Test
    void otherRequestsPassUntouched() {
        GetRecordsRequest records = GetRecordsRequest.builder().shardIterator("iterator").build();

        assertThat(modify(records)).isSameAs(records);
    }

    @Test
    void theArnGivenToKclCarriesTheRealRegion() {
        assertThat(LocalStreamArnInterceptor.withRegion(LOCAL, "us-east-1")).isEqualTo(REAL);
        assertThat(LocalStreamArnInterceptor.withRegion("not an arn", "us-east-1")).isEqualTo("not an arn");
    }
}
