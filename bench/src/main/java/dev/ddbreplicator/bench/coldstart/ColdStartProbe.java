package dev.ddbreplicator.bench.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.lambda.LambdaConfig;
import dev.ddbreplicator.lambda.LambdaEventMapper;
import dev.ddbreplicator.lambda.LambdaWiring;
import dev.ddbreplicator.lambda.ReplicatorHandler;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Lambda cold start, locally: runs on the deployment jar's class path alone (plus this class),
 * builds the handler as the runtime's init phase does (configuration from variables, clients built,
 * nothing sent), then handles one stream event of one new item, as the first invocation would.
 * Prints {@code HANDLED <ms at init end> <ms at first event handled>}, milliseconds since the JVM
 * started (by the JVM's own clock).
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    /** Arguments: SOURCE_REGION SOURCE_ENDPOINT REPLICA_REGION REPLICA_ENDPOINT S3_ENDPOINT BUCKET SOURCE_TABLE STREAM_ARN KEY. */
    public static void main(String[] args) {
        Map<String, String> env = Map.of(LambdaConfig.REGION, args[0], LambdaConfig.DEAD_LETTER_BUCKET, args[5],
                LambdaConfig.METRICS_NAMESPACE, LambdaConfig.METRICS_OFF);
        AwsSettings aws = AwsSettings.local(Map.of(args[0], URI.create(args[1]), args[2], URI.create(args[3])),
                Optional.of(URI.create(args[4])));
        ReplicatorHandler handler = new ReplicatorHandler(new LambdaEventMapper(Clock.systemUTC()),
                LambdaWiring.create(LambdaConfig.from(env::get), aws, Optional.empty(), line -> { }));
        long init = ManagementFactory.getRuntimeMXBean().getUptime();
        StreamsEventResponse response = handler.handleRequest(event(args[7], args[0], args[6], args[8]), new ProbeContext());
        long handled = ManagementFactory.getRuntimeMXBean().getUptime();
        if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            System.out.println("FAILED the event was not replicated: " + response.getBatchItemFailures());
            System.exit(1);
        }
        System.out.println("HANDLED " + init + " " + handled);
        System.exit(0);
    }

    private static DynamodbEvent event(String streamArn, String region, String table, String key) {
        Map<String, AttributeValue> keys = Map.of("pk", new AttributeValue().withS(key));
        Map<String, AttributeValue> image = Map.of("pk", new AttributeValue().withS(key), "n", new AttributeValue().withN("1"),
                "text", new AttributeValue().withS("a cold start"));
        StreamRecord change = new StreamRecord();
        change.setKeys(keys);
        change.setNewImage(image);
        change.setSequenceNumber("000000000000000000001");
        change.setSizeBytes(64L);
        change.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
        change.setApproximateCreationDateTime(new Date());
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("1");
        record.setEventName("INSERT");
        record.setEventVersion("1.1");
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion(region);
        record.setEventSourceARN(streamArn.replace(":ddblocal:", ":" + region + ":"));
        record.setDynamodb(change);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /**
     * The little of the Lambda context the handler may look at. Not testkit's: the probe's class path
     * is the deployment jar alone, so that the start-up measured loads what Lambda would load.
     */
    private static final class ProbeContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "cold-start";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/replicator";
        }

        @Override
        public String getLogStreamName() {
            return "cold-start";
        }

        @Override
        public String getFunctionName() {
            return "replicator";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:replicator";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 300_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.println(new String(message, java.nio.charset.StandardCharsets.UTF_8));
                }
            };
        }
    }
}
