package dev.ddbreplicator.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * An SDK interceptor registered for every client of a JVM on this module's class path (through the
 * SDK's global interceptor file), so that KCL workers started as child processes carry it too. It
 * does nothing unless the process was started with its system properties:
 *
 * <ul>
 *   <li>{@code reliability.callLog=FILE}: appends each distinct AWS call, as IAM authorizes it
 *       ({@code action resource [namespace]}), to the file: the list a least-privilege policy is
 *       checked against.</li>
 *   <li>{@code reliability.gateFile=FILE} and {@code reliability.gateTable=T}: while the file exists,
 *       every write to table T waits as it starts, with its version already in it (a worker stalled in
 *       the middle of a batch). When the file goes, the held writes are sent, and what
 *       DynamoDB answered each is printed: {@code gate: held write ... applied|refused}.</li>
 * </ul>
 */
public final class ChildProbe implements ExecutionInterceptor {

    /** The account the recorded ARNs name: the documented policy's placeholder. */
    static final String ACCOUNT = "ACCT";

    private static final Pattern STREAM_ARN = Pattern.compile("^arn:aws[a-z-]*:dynamodb:[^:]+:[^:]+:table/([^/]+)/stream/(.+)$");
    private static final Set<String> WRITES = Set.of("PutItem", "DeleteItem", "TransactWriteItems", "UpdateItem", "BatchWriteItem");
    private static final ExecutionAttribute<Boolean> HELD = new ExecutionAttribute<>("reliability.held");

    private final Path callLog = path("reliability.callLog");
    private final Path gateFile = path("reliability.gateFile");
    private final String gateTable = System.getProperty("reliability.gateTable");
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile String lastStreamArn = "";

    private static Path path(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        // Held here, before the SDK starts its attempt timer: the write goes out when released, as a
        // frozen process's would, instead of timing out on the way.
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (gateFile != null && WRITES.contains(operation) && writesGateTable(context.request()) && Files.exists(gateFile)) {
            attributes.putAttribute(HELD, true);
            System.out.println("gate: holding a " + operation + " (" + holding.incrementAndGet() + " held)");
            System.out.flush();
            while (Files.exists(gateFile)) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (callLog != null) {
            record(attributes, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(HELD))) {
            System.out.println("gate: held write " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " applied");
            System.out.flush();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(HELD))) {
            String error = context.exception().getClass().getSimpleName();
            boolean refused = error.contains("ConditionalCheckFailed") || error.contains("TransactionCanceled");
            System.out.println("gate: held write " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                    + (refused ? "refused" : "failed") + " (" + error + ")");
            System.out.flush();
        }
    }

    private boolean writesGateTable(SdkRequest request) {
        if (request instanceof TransactWriteItemsRequest transaction) {
            return transaction.transactItems().stream().anyMatch(i -> gateTable.equals(tableOf(i)));
        }
        return request.getValueForField("TableName", String.class).map(gateTable::equals).orElse(false);
    }

    private void record(ExecutionAttributes attributes, String operation, SdkRequest request) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        for (String action : actions(service, operation, region == null ? "?" : region.id(), request)) {
            if (recorded.add(action)) {
                try {
                    Files.writeString(callLog, action + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The IAM authorizations of one call, one line each: {@code action resource [namespace]}. */
    List<String> actions(String service, String operation, String region, SdkRequest request) {
        List<String> actions = new ArrayList<>();
        if (service.startsWith("dynamodb")) {
            switch (operation) {
                case "DescribeStream", "GetShardIterator" -> {
                    String arn = request.getValueForField("StreamArn", String.class).orElse("");
                    lastStreamArn = stream(region, arn);
                    actions.add("dynamodb:" + operation + " " + lastStreamArn);
                }
                // An iterator names no stream: it reads the one the last iterator was taken for.
                case "GetRecords" -> actions.add("dynamodb:GetRecords " + lastStreamArn);
                case "ListStreams" -> actions.add("dynamodb:ListStreams arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/"
                        + request.getValueForField("TableName", String.class).orElse("*") + "/stream/*");
                case "TransactWriteItems" -> {
                    for (TransactWriteItem item : ((TransactWriteItemsRequest) request).transactItems()) {
                        String kind = item.put() != null ? "PutItem" : item.conditionCheck() != null ? "ConditionCheckItem"
                                : item.delete() != null ? "DeleteItem" : "UpdateItem";
                        actions.add("dynamodb:" + kind + " " + table(region, tableOf(item)));
                    }
                }
                // A query or scan of an index is authorized on the index's ARN.
                default -> actions.add("dynamodb:" + operation + " "
                        + request.getValueForField("TableName", String.class).map(t -> table(region, t)).orElse("*")
                        + request.getValueForField("IndexName", String.class).map(i -> "/index/" + i).orElse(""));
            }
        } else if (service.equals("s3")) {
            if (request instanceof PutObjectRequest put) {
                actions.add("s3:PutObject arn:aws:s3:::" + put.bucket() + "/" + put.key());
            } else {
                actions.add("s3:" + operation + " arn:aws:s3:::" + request.getValueForField("Bucket", String.class).orElse("*"));
            }
        } else if (service.startsWith("cloudwatch")) {
            actions.add("cloudwatch:" + operation + " * " + (request instanceof PutMetricDataRequest put ? put.namespace() : ""));
        } else {
            actions.add(service + ":" + operation + " *");
        }
        return actions.stream().map(String::strip).toList();
    }

    private static String tableOf(TransactWriteItem item) {
        if (item.put() != null) {
            return item.put().tableName();
        }
        if (item.conditionCheck() != null) {
            return item.conditionCheck().tableName();
        }
        if (item.delete() != null) {
            return item.delete().tableName();
        }
        return item.update() == null ? "" : item.update().tableName();
    }

    private static String table(String region, String name) {
        return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + name;
    }

    private static String stream(String region, String arn) {
        Matcher matcher = STREAM_ARN.matcher(arn);
        return matcher.matches() ? table(region, matcher.group(1)) + "/stream/" + matcher.group(2) : arn;
    }
}
