package dev.ddbreplicator.backup;

import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import dev.ddbreplicator.testkit.LocalRegion;
import dev.ddbreplicator.testkit.LocalS3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/** The backup module's tests' wiring: one local region and the local S3 server, reached through the product's clients. */
final class LocalAws implements AutoCloseable {

    static final String REGION = "us-east-1";

    final AwsClients clients;

    LocalAws(LocalRegion region, LocalS3 s3, ExecutionInterceptor... interceptors) {
        this.clients = new AwsClients(AwsSettings.local(Map.of(REGION, region.endpoint()), Optional.of(s3.endpoint()))
                .withInterceptors(interceptors));
    }

    DynamoDbClient dynamoDb() {
        return clients.dynamoDb(REGION);
    }

    S3Client s3() {
        return clients.s3(REGION);
    }

    void createBucket(String bucket) {
        s3().createBucket(b -> b.bucket(bucket));
    }

    /** Loads items with parallel BatchWriteItem calls, retrying unprocessed items. */
    static void load(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < items.size(); start += 25) {
                List<Map<String, AttributeValue>> batch = items.subList(start, Math.min(items.size(), start + 25));
                futures.add(pool.submit(() -> {
                    List<WriteRequest> writes = batch.stream()
                            .map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
                            .toList();
                    Map<String, List<WriteRequest>> pending = new HashMap<>(Map.of(table, writes));
                    while (!pending.isEmpty()) {
                        BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(pending));
                        pending.clear();
                        if (response.hasUnprocessedItems()) {
                            pending.putAll(response.unprocessedItems());
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading " + table + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
