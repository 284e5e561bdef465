package dev.ddbreplicator.cli;

import dev.ddbreplicator.core.retry.PoisonException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A verb of the command: does its work in {@link #execute(Environment)} and answers a
 * {@link Result}; this base turns every failure into a status, a one-line reason and an exit code.
 */
abstract class Verb implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Does the verb's work; throws {@link CliException} to end with a given status. */
    protected abstract Result execute(Environment env) throws Exception;

    @Override
    public final Integer call() {
        RootCommand root = (RootCommand) spec.root().userObject();
        Output output = root.output();
        Result result;
        try (Environment env = root.environment()) {
            result = execute(env);
        } catch (CliException e) {
            result = e.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new Result(Status.ERROR, "interrupted before the work was done", null, "");
        } catch (Exception e) {
            result = describe(e);
        }
        return output.print(spec.qualifiedName(), result);
    }

    /** The one line an operator needs for an unexpected failure. */
    static Result describe(Throwable error) {
        Throwable cause = rootAws(error);
        if (cause instanceof ResourceNotFoundException notFound) {
            return new Result(Status.NOT_FOUND, awsMessage(notFound), null, "");
        }
        if (cause instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode() + ": ";
            return new Result(Status.ERROR, "AWS refused: " + code + awsMessage(aws), null, "");
        }
        if (cause instanceof SdkClientException client) {
            return new Result(Status.ERROR, "cannot reach AWS (" + client.getMessage()
                    + "); check --region, --endpoint/--local and that the service is running", null, "");
        }
        if (cause instanceof IllegalArgumentException || cause instanceof PoisonException) {
            return new Result(Status.BAD_REQUEST, cause.getMessage(), null, "");
        }
        return new Result(Status.ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, "");
    }

    private static String awsMessage(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }

    private static Throwable rootAws(Throwable error) {
        Throwable current = error;
        while (current.getCause() != null && !(current instanceof AwsServiceException) && !(current instanceof SdkClientException)) {
            current = current.getCause();
        }
        return current instanceof AwsServiceException || current instanceof SdkClientException ? current : error;
    }
}
