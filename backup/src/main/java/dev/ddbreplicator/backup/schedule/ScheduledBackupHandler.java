package dev.ddbreplicator.backup.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbreplicator.backup.BackupCatalog;
import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.format.Json;
import dev.ddbreplicator.core.aws.AwsClients;
import dev.ddbreplicator.core.aws.AwsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

/**
 * The scheduled backup Lambda, invoked by an EventBridge schedule: reads its configuration from the
 * environment once, lets the schedule's input override it, backs up each table and applies the
 * retention. Answers a JSON report; fails the invocation when any table failed.
 */
public final class ScheduledBackupHandler implements RequestStreamHandler {

    private final ScheduleConfig config;
    private final ScheduledBackup schedule;

    /** For the Lambda runtime: configuration from the environment, clients built once per container. */
    public ScheduledBackupHandler() {
        this(ScheduleConfig.fromEnv(System.getenv()), new AwsClients(AwsSettings.defaults()), Clock.systemUTC());
    }

    public ScheduledBackupHandler(ScheduleConfig config, AwsClients clients, Clock clock) {
        this(config, new ScheduledBackup(new BackupJob(clients, config.region(), clock), new BackupCatalog(clients, config.region(), clock)));
    }

    public ScheduledBackupHandler(ScheduleConfig config, ScheduledBackup schedule) {
        this.config = config;
        this.schedule = schedule;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduleConfig run = ScheduleInput.apply(config, input.readAllBytes());
        ScheduledBackup.Report report = schedule.run(run, () -> Duration.ofMillis(context.getRemainingTimeInMillis()));
        output.write(Json.MAPPER.writeValueAsBytes(toJson(report)));
    }

    static ObjectNode toJson(ScheduledBackup.Report report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode backups = root.putArray("backups");
        for (BackupResult result : report.backups()) {
            backups.addObject()
                    .put("table", result.table())
                    .put("exportId", result.exportId())
                    .put("directory", "s3://" + result.bucket() + "/" + result.directory())
                    .put("items", result.itemCount())
                    .put("files", result.dataFiles())
                    .put("seconds", result.duration().toSeconds());
        }
        ArrayNode pruned = root.putArray("pruned");
        report.pruned().forEach(pruned::add);
        return root;
    }
}
