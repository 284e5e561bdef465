package dev.ddbreplicator.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import java.util.List;

/**
 * The stream-triggered Lambda replicator. Deployed with {@code FunctionResponseTypes:
 * [ReportBatchItemFailures]}: it answers with the first record Lambda must retry from, if any.
 * The logic is in {@link BatchReplicator}; the wiring in {@link LambdaWiring}.
 */
public final class ReplicatorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final LambdaEventMapper mapper;
    private final BatchReplicator replicator;

    /** For the Lambda runtime, which builds it once per execution environment, in the init phase. */
    public ReplicatorHandler() {
        this(new LambdaEventMapper(Clock.systemUTC()), LambdaWiring.fromEnvironment());
    }

    public ReplicatorHandler(LambdaEventMapper mapper, BatchReplicator replicator) {
        this.mapper = mapper;
        this.replicator = replicator;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<SourceBatch> batches = mapper.map(event);
        BatchReport report = replicator.replicate(batches);
        return report.toResponse();
    }
}
