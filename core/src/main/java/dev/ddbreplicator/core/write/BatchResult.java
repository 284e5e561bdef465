package dev.ddbreplicator.core.write;

import java.util.List;
import java.util.Optional;

/** The outcome of every event of a batch, in the batch's order. */
public record BatchResult(List<EventOutcome> outcomes) {

    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    /** The earliest event that must be retried; a runtime retries the batch from there. */
    public Optional<EventOutcome> firstRetryableFailure() {
        return outcomes.stream().filter(o -> o.outcome() == WriteOutcome.RETRYABLE_FAILURE).findFirst();
    }

    /** Whether every event is finished with, so the batch may be checkpointed. */
    public boolean isComplete() {
        return outcomes.stream().allMatch(o -> o.outcome().isDone());
    }

    public long count(WriteOutcome outcome) {
        return outcomes.stream().filter(o -> o.outcome() == outcome).count();
    }

    public List<EventOutcome> withOutcome(WriteOutcome outcome) {
        return outcomes.stream().filter(o -> o.outcome() == outcome).toList();
    }

    /** A copy where one event's outcome is replaced. */
    public BatchResult replace(EventOutcome old, EventOutcome replacement) {
        return new BatchResult(outcomes.stream().map(o -> o == old ? replacement : o).toList());
    }
}
