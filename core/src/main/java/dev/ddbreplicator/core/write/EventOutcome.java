package dev.ddbreplicator.core.write;

import dev.ddbreplicator.core.model.ChangeEvent;

/** One event and what became of it; {@code reason} explains failures and skips, empty otherwise. */
public record EventOutcome(ChangeEvent event, WriteOutcome outcome, String reason) {

    public EventOutcome {
        if (event == null || outcome == null) {
            throw new IllegalArgumentException("an outcome needs its event and result");
        }
        reason = reason == null ? "" : reason;
    }
}
