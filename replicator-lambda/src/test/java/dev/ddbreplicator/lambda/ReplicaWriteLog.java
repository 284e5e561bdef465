package dev.ddbreplicator.lambda;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * An SDK interceptor on the replicator's DynamoDB client that keeps, per replica key, the versions
 * of the writes DynamoDB accepted, in the order it accepted them: what was applied, and when.
 */
final class ReplicaWriteLog implements ExecutionInterceptor {

    private final String table;
    private final List<String> keyNames;
    private final String versionAttribute;
    private final Map<Map<String, AttributeValue>, List<String>> applied = new ConcurrentHashMap<>();

    ReplicaWriteLog(String table, List<String> keyNames, String versionAttribute) {
        this.table = table;
        this.keyNames = keyNames;
        this.versionAttribute = versionAttribute;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof PutItemRequest put && table.equals(put.tableName())) {
            record(put.item(), put.item().get(versionAttribute).s());
        } else if (request instanceof DeleteItemRequest delete && table.equals(delete.tableName())) {
            record(delete.key(), delete.expressionAttributeValues().get(":v").s());
        } else if (request instanceof TransactWriteItemsRequest transaction) {
            for (TransactWriteItem item : transaction.transactItems()) {
                if (item.put() != null && table.equals(item.put().tableName())) {
                    record(item.put().item(), item.put().item().get(versionAttribute).s());
                }
            }
        }
    }

    private void record(Map<String, AttributeValue> item, String version) {
        Map<String, AttributeValue> key = new HashMap<>();
        keyNames.forEach(name -> key.put(name, item.get(name)));
        List<String> versions = applied.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (versions) {
            versions.add(version);
        }
    }

    /**
     * Fails unless every key's accepted writes came in version order: nothing was applied out of
     * order. (The same version twice is a replayed delete of an absent item: accepted, and a no-op.)
     */
    void assertEveryKeyMovedOnlyForward() {
        applied.forEach((key, versions) -> {
            synchronized (versions) {
                for (int i = 1; i < versions.size(); i++) {
                    if (versions.get(i).compareTo(versions.get(i - 1)) < 0) {
                        fail("key %s was written at version %s after %s", key, versions.get(i), versions.get(i - 1));
                    }
                }
            }
        });
    }

    /** The version of the last accepted write of each key. */
    Map<Map<String, AttributeValue>, String> lastVersions() {
        Map<Map<String, AttributeValue>, String> last = new HashMap<>();
        applied.forEach((key, versions) -> {
            synchronized (versions) {
                last.put(key, versions.get(versions.size() - 1));
            }
        });
        return last;
    }

    Set<Map<String, AttributeValue>> keys() {
        return applied.keySet();
    }
}
