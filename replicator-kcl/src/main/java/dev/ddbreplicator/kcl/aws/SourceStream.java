package dev.ddbreplicator.kcl.aws;

import dev.ddbreplicator.core.retry.Retrier;
import dev.ddbreplicator.core.retry.RetryPolicy;
import dev.ddbreplicator.kcl.WorkerStartException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The source table's current stream, checked to carry the new image that replication writes.
 *
 * @param arn the stream ARN as KCL is given it (in local mode with the real region name, see
 *            {@link LocalStreamArnInterceptor})
 */
public record SourceStream(String table, String region, String arn) {

    /**
     * @throws WorkerStartException when the table is missing, has no stream, or a stream other than NEW_AND_OLD_IMAGES
     */
    public static SourceStream describe(DynamoDbClient client, String table, String region, boolean local) {
        TableDescription description;
        try {
            description = new Retrier(RetryPolicy.CONTROL).callUnchecked(() -> client.describeTable(b -> b.tableName(table)).table(),
                    Retrier.Listener.NONE);
        } catch (ResourceNotFoundException e) {
            throw new WorkerStartException("source table " + table + " does not exist in " + region);
        } catch (SdkException | IllegalStateException e) {
            throw new WorkerStartException("cannot describe source table " + table + " in " + region + ": " + e.getMessage(), e);
        }
        StreamSpecification spec = description.streamSpecification();
        if (spec == null || !Boolean.TRUE.equals(spec.streamEnabled()) || description.latestStreamArn() == null) {
            throw new WorkerStartException("source table " + table + " in " + region + " has no stream; turn it on with"
                    + " 'ddb-replicator streams enable --table " + table + " --region " + region + "'");
        }
        // Issue 7: NEW_IMAGE was let in, though 'pairs add' and 'streams status' refuse it; dead letters keep the old image too.
        if (spec.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
            throw new WorkerStartException("the stream of " + table + " in " + region + " carries " + spec.streamViewTypeAsString()
                    + "; replication needs NEW_AND_OLD_IMAGES (see 'ddb-replicator streams enable --help')");
        }
        String arn = local ? LocalStreamArnInterceptor.withRegion(description.latestStreamArn(), region) : description.latestStreamArn();
        return new SourceStream(table, region, arn);
    }
}
