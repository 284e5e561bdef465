package dev.ddbreplicator.kcl.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsRequest;

/**
 * Local mode only: lets KCL read a DynamoDB Local stream. DynamoDB Local names every stream with
 * region {@code ddblocal}, which the streams adapter rejects, and refuses any other region. So KCL
 * is given the ARN with the real region name, and this interceptor puts {@code ddblocal} back
 * into the requests that carry a stream ARN. Without it KCL silently creates no leases.
 */
public final class LocalStreamArnInterceptor implements ExecutionInterceptor {

    public static final String LOCAL_REGION = "ddblocal";

    private static final Pattern REGION_IN_ARN = Pattern.compile("^(arn:aws[a-z-]*:dynamodb:)([a-z0-9-]+)(:.*)$");

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
        SdkRequest request = context.request();
        if (request instanceof DescribeStreamRequest describe && describe.streamArn() != null) {
            return describe.toBuilder().streamArn(toLocal(describe.streamArn())).build();
        }
        if (request instanceof GetShardIteratorRequest iterator && iterator.streamArn() != null) {
            return iterator.toBuilder().streamArn(toLocal(iterator.streamArn())).build();
        }
        if (request instanceof ListStreamsRequest list && list.exclusiveStartStreamArn() != null) {
            return list.toBuilder().exclusiveStartStreamArn(toLocal(list.exclusiveStartStreamArn())).build();
        }
        return request;
    }

    /** The ARN as DynamoDB Local names it. */
    public static String toLocal(String arn) {
        return withRegion(arn, LOCAL_REGION);
    }

    /** The ARN with another region name in it (DynamoDB Local's ARN as the adapter accepts it). */
    public static String withRegion(String arn, String region) {
        Matcher matcher = REGION_IN_ARN.matcher(arn);
        return matcher.matches() ? matcher.group(1) + region + matcher.group(3) : arn;
    }
}
