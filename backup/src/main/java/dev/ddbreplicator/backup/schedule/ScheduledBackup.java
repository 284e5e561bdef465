package dev.ddbreplicator.backup.schedule;

import dev.ddbreplicator.backup.BackupCatalog;
import dev.ddbreplicator.backup.BackupEntry;
import dev.ddbreplicator.backup.BackupFailedException;
import dev.ddbreplicator.backup.BackupJob;
import dev.ddbreplicator.backup.BackupResult;
import dev.ddbreplicator.backup.PruneRequest;
import dev.ddbreplicator.backup.PruneResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled run: backs up each table in turn, then applies the retention to that table's
 * backups. A table that fails does not stop the others; the run then fails as a whole so that the
 * schedule's error metric and alarms see it. Retention runs only after a successful backup, so a
 * failing schedule never deletes old backups.
 */
public final class ScheduledBackup {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackup.class);
    /** A table is not started with less time than this left: the run would die half-way and leave debris. */
    static final Duration MIN_TIME_LEFT = Duration.ofSeconds(60);

    private final BackupJob backups;
    private final BackupCatalog catalog;

    public ScheduledBackup(BackupJob backups, BackupCatalog catalog) {
        this.backups = backups;
        this.catalog = catalog;
    }

    /** What a run did. */
    public record Report(List<BackupResult> backups, List<String> pruned, List<String> failures) {
        public Report {
            backups = List.copyOf(backups);
            pruned = List.copyOf(pruned);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Runs the schedule.
     *
     * @param timeLeft how long the run may still take (Lambda's remaining time)
     * @throws BackupFailedException when any table failed; the message names each, the others were backed up
     */
    public Report run(ScheduleConfig config, Supplier<Duration> timeLeft) {
        if (config.tables().isEmpty()) {
            throw new IllegalArgumentException("no table to back up: set " + ScheduleConfig.TABLES + " or give \"tables\" in the schedule's input");
        }
        List<BackupResult> done = new ArrayList<>();
        List<String> pruned = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String table : config.tables()) {
            if (timeLeft.get().compareTo(MIN_TIME_LEFT) < 0) {
                failures.add(table + ": not started, less than " + MIN_TIME_LEFT.toSeconds() + "s left in this run");
                continue;
            }
            try {
                BackupResult result = backups.run(config.request(table));
                LOG.info(result.describe());
                done.add(result);
                if (config.retention().isPresent()) {
                    PruneResult prune = catalog.prune(new PruneRequest(config.bucket(), config.prefix(), Optional.of(table),
                            config.retention().get(), false, PruneRequest.DEFAULT_INCOMPLETE_AFTER));
                    prune.deleted().stream().map(BackupEntry::exportId).forEach(pruned::add);
                    LOG.info("retention for {}: deleted {} exports, kept {}", table, prune.deleted().size(), prune.kept().size());
                }
            } catch (RuntimeException e) {
                LOG.error("backup of {} failed: {}", table, e.getMessage());
                failures.add(table + ": " + e.getMessage());
            }
        }
        Report report = new Report(done, pruned, failures);
        if (!failures.isEmpty()) {
            throw new ScheduleFailedException(report);
        }
        return report;
    }

    /** Some tables failed; carries what was done. */
    public static final class ScheduleFailedException extends BackupFailedException {
        private static final long serialVersionUID = 1L;
        private final transient Report report;

        ScheduleFailedException(Report report) {
            super(report.failures().size() + " of " + (report.failures().size() + report.backups().size()) + " backups failed: "
                    + String.join("; ", report.failures()));
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }
}
