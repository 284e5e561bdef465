package dev.ddbreplicator.backup;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Counts, per item key, the puts DynamoDB took: those of each BatchWriteItem the server answered with
 * 200 (counted when the answer arrives, before the caller reads it, so a caller that dies or is
 * interrupted in between cannot hide a write), less those it handed back as unprocessed.
 */
final class WriteCounter implements ExecutionInterceptor {

    private final List<String> keyNames;
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    WriteCounter(List<String> keyNames) {
        this.keyNames = List.copyOf(keyNames);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof BatchWriteItemRequest request && context.httpResponse().isSuccessful()) {
            request.requestItems().values().forEach(list -> list.forEach(w -> writes.computeIfAbsent(key(w), k -> new AtomicInteger()).incrementAndGet()));
        }
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        if (context.response() instanceof BatchWriteItemResponse response && response.hasUnprocessedItems()) {
            response.unprocessedItems().values().forEach(list -> list.forEach(w -> writes.get(key(w)).decrementAndGet()));
        }
    }

    /** Keys written more than once. */
    List<String> writtenTwice() {
        return writes.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    /** Writes taken per key. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        writes.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    long total() {
        return writes.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    private String key(WriteRequest write) {
        Map<String, AttributeValue> item = write.putRequest().item();
        StringBuilder key = new StringBuilder();
        for (String name : keyNames) {
            key.append(item.get(name)).append('|');
        }
        return key.toString();
    }
}
