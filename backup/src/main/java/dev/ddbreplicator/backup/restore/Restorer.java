package dev.ddbreplicator.backup.restore;

import dev.ddbreplicator.backup.BackupUsageException;
import dev.ddbreplicator.backup.KeyAttribute;
import dev.ddbreplicator.backup.ProgressListener;
import dev.ddbreplicator.backup.RestoreRequest;
import dev.ddbreplicator.backup.RestoreResult;
import dev.ddbreplicator.backup.format.ExportDirectories;
import dev.ddbreplicator.backup.format.ExportLayout;
import dev.ddbreplicator.backup.format.ManifestFileEntry;
import dev.ddbreplicator.backup.format.TableDefinition;
import dev.ddbreplicator.backup.run.Calls;
import dev.ddbreplicator.backup.run.ProgressTracker;
import dev.ddbreplicator.backup.run.RateLimiter;
import dev.ddbreplicator.backup.run.Workers;
import dev.ddbreplicator.core.retry.Retrier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restores one export: finds it, checks its manifests and every data file it will write (MD5, gzip,
 * lines, counts) before writing anything, creates the table if asked, then writes the files in
 * parallel, each in order, saving a checkpoint as it goes. A run that finds a checkpoint resumes:
 * finished files are skipped, and the items of a started file past its saved count are read back and
 * written only if absent or different, so no item is written twice.
 */
public final class Restorer {

    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final String region;
    private final Clock clock;
    private final Retrier s3Retrier;
    private final Retrier controlRetrier;
    private final Retrier writeRetrier;

    public Restorer(DynamoDbClient dynamoDb, S3Client s3, String region, Clock clock, Retrier s3Retrier, Retrier controlRetrier,
                    Retrier writeRetrier) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.region = region;
        this.clock = clock;
        this.s3Retrier = s3Retrier;
        this.controlRetrier = controlRetrier;
        this.writeRetrier = writeRetrier;
    }

    public RestoreResult run(RestoreRequest request, ProgressListener listener) throws Throwable {
        Instant start = clock.instant();
        ExportLayout layout = locate(request);
        ExportManifest manifest = ExportManifest.read(s3, s3Retrier, request.bucket(), layout);
        CheckpointStore store = new CheckpointStore(s3, s3Retrier, request.bucket(), layout.restoreCheckpoint(request.targetTable()),
                CheckpointStore.of(manifest.summary().s3SseAlgorithm(), manifest.summary().s3SseKmsKeyId()));
        Optional<RestoreCheckpoint> previous = store.load();
        Optional<TableDescription> target = describe(request.targetTable());

        if (previous.isPresent()) {
            checkResumable(request, manifest, previous.get(), store);
            if (target.isEmpty() && previous.get().phase() == RestoreCheckpoint.Phase.LOADING) {
                LOG.warn("{} is gone since the interrupted restore; starting over", request.targetTable());
                previous = Optional.empty();
            }
        }
        boolean resumed = previous.isPresent();
        boolean create = resumed ? target.isEmpty() : !request.intoExisting();
        if (!resumed) {
            if (request.intoExisting() && target.isEmpty()) {
                throw new BackupUsageException("--into-existing", "table " + request.targetTable() + " does not exist in " + region
                        + "; leave out --into-existing to create it");
            }
            if (!request.intoExisting() && target.isPresent()) {
                throw new BackupUsageException("--target-table", "table " + request.targetTable() + " already exists in " + region
                        + "; give --into-existing to write into it, or another --target-table");
            }
        }
        Optional<TableDefinition> definition = definition(request, manifest, create);
        List<String> keyNames = create ? definition.orElseThrow().keyNames() : keyNames(target.orElseThrow());
        if (manifest.tableDefinition().isPresent() && !manifest.tableDefinition().get().keyNames().equals(keyNames)) {
            throw new BackupUsageException("--target-table", "table " + request.targetTable() + " is keyed on " + keyNames
                    + " but the export's items are keyed on " + manifest.tableDefinition().get().keyNames());
        }
        for (String stripped : request.stripAttributes()) {
            if (keyNames.contains(stripped)) {
                throw new BackupUsageException("--strip-attribute", stripped + " is a key attribute of " + request.targetTable()
                        + " and cannot be removed");
            }
        }

        RestoreCheckpoint checkpoint = previous.orElseGet(() -> new RestoreCheckpoint(layout.exportId(), manifest.summaryMd5(),
                request.targetTable(), request.stripAttributes(), RestoreCheckpoint.Phase.CREATING, create));
        List<Integer> todo = new ArrayList<>();
        long fromEarlierRuns = 0;
        for (int i = 0; i < manifest.files().size(); i++) {
            if (checkpoint.isFinished(i)) {
                fromEarlierRuns += manifest.files().get(i).itemCount();
            } else {
                todo.add(i);
            }
        }
        int threads = request.parallelism();

        // Every file this run will write is checked before the first write (or table creation).
        Map<Integer, String> etags = verify(request, manifest, todo, threads, listener);

        if (create) {
            checkpoint.phase(RestoreCheckpoint.Phase.CREATING, true);
            store.save(checkpoint);
            createTable(definition.orElseThrow(), request.targetTable());
        }
        checkpoint.phase(RestoreCheckpoint.Phase.LOADING, checkpoint.createdTable() || create);
        store.save(checkpoint);

        Optional<RateLimiter> limiter = request.rate().map(r -> new RateLimiter(r.value()));
        TableWriter writer = new TableWriter(dynamoDb, request.targetTable(), writeRetrier, limiter);
        ProgressTracker progress = new ProgressTracker("restore", OptionalLong.of(manifest.summary().itemCount()), manifest.files().size(),
                listener, clock, Duration.ofSeconds(1));
        for (int i : todo) {
            fromEarlierRuns += checkpoint.done(i, manifest.files().get(i).itemCount());
        }
        progress.already(fromEarlierRuns, manifest.files().size() - todo.size());
        AtomicLong written = new AtomicLong();
        AtomicLong present = new AtomicLong();
        List<Callable<Void>> tasks = new ArrayList<>();
        Workers.Stop stop = new Workers.Stop();
        for (int index : todo) {
            tasks.add(new FileRestore(manifest, index, etags.get(index), request, keyNames, checkpoint, store, writer, progress, written,
                    present, stop));
        }
        try {
            Workers.runAll("restore-" + request.targetTable(), threads, tasks, stop);
        } catch (Throwable failure) {
            try {
                store.save(checkpoint);
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        progress.finish();

        Optional<String> ttl = definition.flatMap(TableDefinition::ttlAttribute);
        if (checkpoint.createdTable() && ttl.isPresent()) {
            String attribute = ttl.get();
            controlRetrier.call(() -> dynamoDb.updateTimeToLive(b -> b.tableName(request.targetTable())
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute))));
        }
        store.delete();
        return new RestoreResult(request.targetTable(), layout.exportId(), written.get(), present.get(), fromEarlierRuns,
                manifest.files().size(), checkpoint.createdTable(), resumed, writer.retries(), Duration.between(start, clock.instant()));
    }

    private ExportLayout locate(RestoreRequest request) {
        ExportDirectories directories = new ExportDirectories(s3, s3Retrier);
        String prefix = request.prefix().orElse("");
        List<ExportLayout> found;
        try {
            found = directories.find(request.bucket(), prefix, request.exportId());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            throw new BackupUsageException("--bucket", "bucket " + request.bucket() + " does not exist");
        }
        String where = "s3://" + request.bucket() + "/" + prefix;
        if (found.isEmpty()) {
            throw new BackupUsageException("--export", "no export " + request.exportId() + " under " + where
                    + " (backup list --bucket " + request.bucket() + " shows the exports there)");
        }
        if (found.size() > 1) {
            throw new BackupUsageException("--export", "export " + request.exportId() + " is in more than one place under " + where + ": "
                    + found.stream().map(ExportLayout::directory).toList() + "; give --prefix");
        }
        return found.get(0);
    }

    private void checkResumable(RestoreRequest request, ExportManifest manifest, RestoreCheckpoint checkpoint, CheckpointStore store) {
        if (!checkpoint.summaryMd5().equals(manifest.summaryMd5())) {
            throw new BackupUsageException("--export", "the checkpoint " + store.location() + " belongs to another version of this export's"
                    + " manifest; delete it to start over");
        }
        if (!checkpoint.stripped().equals(new ArrayList<>(new java.util.TreeSet<>(request.stripAttributes())))) {
            throw new BackupUsageException("--strip-attribute", "an interrupted restore of this export into " + request.targetTable()
                    + " stripped " + checkpoint.stripped() + "; resume it with the same --strip-attribute options, or delete "
                    + store.location() + " to start over");
        }
    }

    /** The table to create: from the export's description, or keyed as the command says; empty into an existing table. */
    private Optional<TableDefinition> definition(RestoreRequest request, ExportManifest manifest, boolean create) {
        Optional<TableDefinition> fromExport = manifest.tableDefinition();
        if (request.partitionKey().isPresent()) {
            if (fromExport.isPresent()) {
                throw new BackupUsageException("--partition-key", "is for exports without a table description; export "
                        + request.exportId() + " has one and its table is created from it");
            }
            KeyAttribute hash = request.partitionKey().get();
            List<TableDefinition.Key> keys = new ArrayList<>(List.of(new TableDefinition.Key(hash.name(), KeyType.HASH)));
            List<TableDefinition.Attribute> attributes = new ArrayList<>(List.of(new TableDefinition.Attribute(hash.name(), hash.type())));
            request.sortKey().ifPresent(sort -> {
                keys.add(new TableDefinition.Key(sort.name(), KeyType.RANGE));
                attributes.add(new TableDefinition.Attribute(sort.name(), sort.type()));
            });
            return Optional.of(TableDefinition.keysOnly(request.targetTable(), keys, attributes));
        }
        if (fromExport.isEmpty() && create) {
            throw new BackupUsageException("--partition-key", "export " + request.exportId() + " has no table-description.json (a native"
                    + " export): give --partition-key NAME:TYPE [--sort-key NAME:TYPE] to create the table, or --into-existing");
        }
        return fromExport;
    }

    private Map<Integer, String> verify(RestoreRequest request, ExportManifest manifest, List<Integer> files, int threads,
                                        ProgressListener listener) throws Throwable {
        long items = files.stream().mapToLong(i -> manifest.files().get(i).itemCount()).sum();
        ProgressTracker progress = new ProgressTracker("verify", OptionalLong.of(items), files.size(), listener, clock, Duration.ofSeconds(1));
        DataFileReader reader = new DataFileReader(s3, s3Retrier, request.bucket());
        Map<Integer, String> etags = new ConcurrentHashMap<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int index : files) {
            tasks.add(() -> {
                ManifestFileEntry entry = manifest.files().get(index);
                long[] count = {0};
                String etag = reader.read(entry, manifest.dataKey(index), Optional.empty(), item -> {
                    if (++count[0] % 1000 == 0) {
                        progress.items(1000);
                    }
                });
                progress.items(count[0] % 1000);
                progress.fileDone();
                etags.put(index, etag);
                return null;
            });
        }
        Workers.runAll("verify-" + request.exportId(), threads, tasks);
        progress.finish();
        return etags;
    }

    private Optional<TableDescription> describe(String table) throws Exception {
        try {
            return Optional.of(Calls.firstThenRetry(() -> dynamoDb.describeTable(b -> b.tableName(table)).table(), controlRetrier,
                    Retrier.Listener.NONE, ResourceNotFoundException.class));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private void createTable(TableDefinition definition, String name) throws Exception {
        LOG.info("creating table {} keyed on {}", name, definition.keyNames());
        controlRetrier.call(() -> dynamoDb.createTable(definition.toCreateTable(name)));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
    }

    private static List<String> keyNames(TableDescription table) {
        List<String> names = new ArrayList<>();
        table.keySchema().stream().filter(k -> k.keyType() == KeyType.HASH).map(KeySchemaElement::attributeName).forEach(names::add);
        table.keySchema().stream().filter(k -> k.keyType() == KeyType.RANGE).map(KeySchemaElement::attributeName).forEach(names::add);
        return names;
    }

    /** Writes one data file in order, in batches, checkpointing as it goes. */
    private final class FileRestore implements Callable<Void> {
        private final ExportManifest manifest;
        private final int index;
        private final String etag;
        private final RestoreRequest request;
        private final List<String> keyNames;
        private final RestoreCheckpoint checkpoint;
        private final CheckpointStore store;
        private final TableWriter writer;
        private final ProgressTracker progress;
        private final AtomicLong written;
        private final AtomicLong present;
        private final Workers.Stop stop;

        FileRestore(ExportManifest manifest, int index, String etag, RestoreRequest request, List<String> keyNames,
                    RestoreCheckpoint checkpoint, CheckpointStore store, TableWriter writer, ProgressTracker progress, AtomicLong written,
                    AtomicLong present, Workers.Stop stop) {
            this.manifest = manifest;
            this.index = index;
            this.etag = etag;
            this.request = request;
            this.keyNames = keyNames;
            this.checkpoint = checkpoint;
            this.store = store;
            this.writer = writer;
            this.progress = progress;
            this.written = written;
            this.present = present;
            this.stop = stop;
        }

        @Override
        public Void call() throws Exception {
            stop.check();
            ManifestFileEntry entry = manifest.files().get(index);
            boolean started = checkpoint.wasStarted(index);
            long skip = checkpoint.done(index, entry.itemCount());
            // After the saved count, at most one checkpoint interval plus the batch in flight can have
            // landed unrecorded (a save is forced before that much is unsaved): read those back first.
            long checkUntil = started ? skip + request.checkpointEveryItems() + TableWriter.BATCH : 0;
            if (!started) {
                // Saved before the first write, so that a resume knows which files may hold unrecorded writes.
                checkpoint.start(index);
                store.save(checkpoint);
            }
            List<Map<String, AttributeValue>> batch = new ArrayList<>(TableWriter.BATCH);
            long[] position = {0};
            long[] batchStart = {skip};
            new DataFileReader(s3, s3Retrier, request.bucket()).read(entry, manifest.dataKey(index), Optional.ofNullable(etag), item -> {
                long at = position[0]++;
                if (at < skip) {
                    return;
                }
                batch.add(strip(item));
                if (batch.size() == TableWriter.BATCH) {
                    flush(batch, batchStart[0] < checkUntil);
                    batchStart[0] += batch.size();
                    batch.clear();
                }
            });
            flush(batch, batchStart[0] < checkUntil);
            checkpoint.finish(index);
            store.save(checkpoint);
            progress.fileDone();
            return null;
        }

        private void flush(List<Map<String, AttributeValue>> batch, boolean readBackFirst) throws Exception {
            if (batch.isEmpty()) {
                return;
            }
            stop.check();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("restore stopped");
            }
            List<Map<String, AttributeValue>> toWrite = readBackFirst ? missingOrDifferent(batch) : batch;
            writer.write(toWrite);
            written.addAndGet(toWrite.size());
            present.addAndGet(batch.size() - toWrite.size());
            long unsaved = checkpoint.advance(index, batch.size());
            progress.items(batch.size());
            if (unsaved >= request.checkpointEveryItems()) {
                store.save(checkpoint);
            }
        }

        private List<Map<String, AttributeValue>> missingOrDifferent(List<Map<String, AttributeValue>> batch) throws Exception {
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new java.util.HashMap<>();
            for (Map<String, AttributeValue> item : writer.read(batch.stream().map(i -> TableWriter.key(i, keyNames)).toList())) {
                found.put(TableWriter.key(item, keyNames), item);
            }
            List<Map<String, AttributeValue>> missing = new ArrayList<>();
            for (Map<String, AttributeValue> item : batch) {
                Map<String, AttributeValue> there = found.get(TableWriter.key(item, keyNames));
                if (there == null || !ItemEquality.same(there, item)) {
                    missing.add(item);
                }
            }
            return missing;
        }

        private Map<String, AttributeValue> strip(Map<String, AttributeValue> item) {
            if (request.stripAttributes().isEmpty()) {
                return item;
            }
            Map<String, AttributeValue> copy = new java.util.HashMap<>(item);
            copy.keySet().removeAll(request.stripAttributes());
            return copy;
        }
    }
}
