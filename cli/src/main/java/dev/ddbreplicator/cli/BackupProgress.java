package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.Progress;
import dev.ddbreplicator.backup.ProgressListener;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps the latest progress a backup or restore reported, for the command's progress line. */
final class BackupProgress implements ProgressListener {

    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private final String starting;

    BackupProgress(String starting) {
        this.starting = starting;
    }

    @Override
    public void onProgress(Progress progress) {
        latest.set(progress);
    }

    String line() {
        Progress progress = latest.get();
        return progress == null ? starting : progress.describe();
    }
}
