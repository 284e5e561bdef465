package dev.ddbreplicator.lambda;

import dev.ddbreplicator.testkit.FaultInjector;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Throttles, through a {@link FaultInjector}, only the writes of some keys of one table: a hot
 * partition of the replica, while the rest of the table takes writes normally.
 */
final class HotKeyThrottling implements ExecutionInterceptor {

    private final FaultInjector injector;
    private final String table;
    private final String hashKey;
    private final Set<AttributeValue> hotHashValues;

    HotKeyThrottling(FaultInjector injector, String table, String hashKey, Set<AttributeValue> hotHashValues) {
        this.injector = injector;
        this.table = table;
        this.hashKey = hashKey;
        this.hotHashValues = Set.copyOf(hotHashValues);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (touchesHotKey(context.request())) {
            injector.beforeExecution(context, attributes);
        }
    }

    private boolean touchesHotKey(SdkRequest request) {
        if (request instanceof PutItemRequest put) {
            return table.equals(put.tableName()) && hot(put.item());
        }
        if (request instanceof DeleteItemRequest delete) {
            return table.equals(delete.tableName()) && hot(delete.key());
        }
        if (request instanceof TransactWriteItemsRequest transaction) {
            return transaction.transactItems().stream()
                    .anyMatch(item -> item.put() != null && table.equals(item.put().tableName()) && hot(item.put().item()));
        }
        return false;
    }

    private boolean hot(Map<String, AttributeValue> item) {
        return hotHashValues.contains(item.get(hashKey));
    }
}
