package dev.ddbreplicator.core.backfill;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Called with each scanned page after it is read and before it is written; tests use it to force interleavings. */
@FunctionalInterface
public interface PageHook {

    PageHook NONE = (segment, items) -> { };

    void pageRead(int segment, List<Map<String, AttributeValue>> items) throws InterruptedException;
}
