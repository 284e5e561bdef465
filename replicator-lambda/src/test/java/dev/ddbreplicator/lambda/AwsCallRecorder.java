package dev.ddbreplicator.lambda;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Records, as IAM sees them, the AWS calls made with one access key: the action, the resource ARN
 * and the condition keys the template's policies use. Registered for every SDK client of the test
 * JVM through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), so no client of the code
 * under test escapes it; the access key tells the function's calls from the test's own.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    /** The account the recorded ARNs name (DynamoDB Local and the S3 server have none). */
    static final String ACCOUNT = "123456789012";

    /** One authorization IAM makes for a call. */
    record Action(String action, String resource, Map<String, String> context) {
        @Override
        public String toString() {
            return action + " on " + resource + (context.isEmpty() ? "" : " " + context);
        }
    }

    private static final Map<String, Set<Action>> RECORDED = new ConcurrentHashMap<>();

    /** Starts recording the calls signed with this access key, forgetting earlier ones. */
    static void start(String accessKey) {
        RECORDED.put(accessKey, ConcurrentHashMap.newKeySet());
    }

    /** What was recorded for the access key, sorted. */
    static List<Action> recorded(String accessKey) {
        List<Action> actions = new ArrayList<>(RECORDED.getOrDefault(accessKey, Set.of()));
        actions.sort(java.util.Comparator.comparing(Action::toString));
        return actions;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Optional<String> key = context.httpRequest().firstMatchingHeader("Authorization").flatMap(AwsCallRecorder::accessKey);
        Set<Action> target = key.map(RECORDED::get).orElse(null);
        if (target == null) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        target.addAll(actions(service, operation, region.id(), context.request()));
    }

    private static Optional<String> accessKey(String authorization) {
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return Optional.empty();
        }
        int end = authorization.indexOf('/', start);
        return end < 0 ? Optional.empty() : Optional.of(authorization.substring(start + "Credential=".length(), end));
    }

    /** The IAM actions of one call: a transaction is authorized item by item. */
    static Set<Action> actions(String service, String operation, String region, SdkRequest request) {
        Map<String, String> where = Map.of("aws:RequestedRegion", region);
        Set<Action> actions = new LinkedHashSet<>();
        switch (service) {
            case "dynamodb" -> {
                if (request instanceof TransactWriteItemsRequest transaction) {
                    for (TransactWriteItem item : transaction.transactItems()) {
                        if (item.put() != null) {
                            actions.add(new Action("dynamodb:PutItem", table(region, item.put().tableName()), where));
                        }
                        if (item.conditionCheck() != null) {
                            actions.add(new Action("dynamodb:ConditionCheckItem", table(region, item.conditionCheck().tableName()), where));
                        }
                        if (item.delete() != null) {
                            actions.add(new Action("dynamodb:DeleteItem", table(region, item.delete().tableName()), where));
                        }
                        if (item.update() != null) {
                            actions.add(new Action("dynamodb:UpdateItem", table(region, item.update().tableName()), where));
                        }
                    }
                } else {
                    String table = request.getValueForField("TableName", String.class)
                            .orElseThrow(() -> new IllegalStateException("DynamoDB call " + operation + " names no table: add it to the recorder"));
                    actions.add(new Action("dynamodb:" + operation, table(region, table), where));
                }
            }
            case "s3" -> {
                if (request instanceof PutObjectRequest put) {
                    actions.add(new Action("s3:PutObject", "arn:aws:s3:::" + put.bucket() + "/" + put.key(), where));
                } else {
                    String bucket = request.getValueForField("Bucket", String.class).orElse("*");
                    actions.add(new Action("s3:" + operation, "arn:aws:s3:::" + bucket, where));
                }
            }
            case "cloudwatch" -> {
                Map<String, String> context = request instanceof PutMetricDataRequest put
                        ? Map.of("aws:RequestedRegion", region, "cloudwatch:namespace", put.namespace()) : where;
                actions.add(new Action("cloudwatch:" + operation, "*", context));
            }
            case "sts" -> actions.add(new Action("sts:" + operation,
                    request instanceof AssumeRoleRequest assume ? assume.roleArn() : "*", where));
            default -> actions.add(new Action(service + ":" + operation, "*", where));
        }
        return actions;
    }

    private static String table(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + name;
    }
}
