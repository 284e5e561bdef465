package dev.ddbreplicator.core.deadletter;

import dev.ddbreplicator.core.model.ChangeEvent;
import java.time.Instant;

/** A change event that could not be written, with why and when, kept for an operator to replay. */
public record DeadLetter(String pairId, ChangeEvent event, String reason, Instant failedAt) {

    public DeadLetter {
        if (pairId == null || pairId.isEmpty() || event == null || reason == null || failedAt == null) {
            throw new IllegalArgumentException("a dead letter needs pair id, event, reason and time");
        }
    }
}
