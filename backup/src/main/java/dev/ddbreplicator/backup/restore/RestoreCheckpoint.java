package dev.ddbreplicator.backup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbreplicator.backup.format.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far a restore has come, kept in S3 so that a restore that died resumes where it stopped. Per
 * data file (by its line in the manifest): finished, or started with the count of its first items that
 * are known to be in the table. Items after that count may have landed too (the write was in flight
 * when the process died); a resume reads those back before writing, so nothing is written twice.
 */
public final class RestoreCheckpoint {

    /** Where the restore was. */
    public enum Phase {
        /** About to create the table: a resume finds it created or creates it. */
        CREATING,
        /** Writing items. */
        LOADING
    }

    private final String exportId;
    private final String summaryMd5;
    private final String targetTable;
    private final List<String> stripped;
    private Phase phase;
    private boolean createdTable;
    private final TreeSet<Integer> finished = new TreeSet<>();
    private final TreeMap<Integer, Long> started = new TreeMap<>();
    private final Map<Integer, Long> durable = new HashMap<>();

    public RestoreCheckpoint(String exportId, String summaryMd5, String targetTable, Set<String> stripped, Phase phase, boolean createdTable) {
        this.exportId = exportId;
        this.summaryMd5 = summaryMd5;
        this.targetTable = targetTable;
        this.stripped = new TreeSet<>(stripped).stream().toList();
        this.phase = phase;
        this.createdTable = createdTable;
    }

    public String exportId() {
        return exportId;
    }

    public String summaryMd5() {
        return summaryMd5;
    }

    public String targetTable() {
        return targetTable;
    }

    public List<String> stripped() {
        return stripped;
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized boolean createdTable() {
        return createdTable;
    }

    public synchronized void phase(Phase newPhase, boolean tableCreatedByRestore) {
        this.phase = newPhase;
        this.createdTable = tableCreatedByRestore;
    }

    public synchronized boolean isFinished(int file) {
        return finished.contains(file);
    }

    public synchronized int finishedCount() {
        return finished.size();
    }

    /** Items of a file known to be in the table: all of a finished file's, the recorded count of a started one, else 0. */
    public synchronized long done(int file, long fileItems) {
        return finished.contains(file) ? fileItems : started.getOrDefault(file, 0L);
    }

    /** Whether writes of the file may have begun (so items past the recorded count may have landed). */
    public synchronized boolean wasStarted(int file) {
        return started.containsKey(file);
    }

    public synchronized void start(int file) {
        started.putIfAbsent(file, 0L);
    }

    /** Records {@code items} more items of the file in the table; returns how far that is past the last saved count. */
    public synchronized long advance(int file, long items) {
        long done = started.merge(file, items, Long::sum);
        return done - durable.getOrDefault(file, 0L);
    }

    public synchronized void finish(int file) {
        started.remove(file);
        finished.add(file);
    }

    /** The saved form, and the counts it carries (to mark them saved once it is written). */
    public synchronized Snapshot snapshot() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("formatVersion", 1);
        root.put("exportId", exportId);
        root.put("manifestSummaryMd5", summaryMd5);
        root.put("targetTable", targetTable);
        ArrayNode strip = root.putArray("stripAttributes");
        stripped.forEach(strip::add);
        root.put("phase", phase.name());
        root.put("createdTable", createdTable);
        ArrayNode done = root.putArray("finishedFiles");
        finished.forEach(done::add);
        ObjectNode progress = root.putObject("startedFiles");
        started.forEach((file, count) -> progress.put(Integer.toString(file), count));
        try {
            return new Snapshot(Json.MAPPER.writeValueAsBytes(root), Map.copyOf(started));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks the counts of a written snapshot as saved. */
    public synchronized void saved(Snapshot snapshot) {
        snapshot.started().forEach((file, count) -> durable.merge(file, count, Math::max));
    }

    /** A serialised checkpoint and the per-file counts in it. */
    public record Snapshot(byte[] bytes, Map<Integer, Long> started) {
    }

    public static RestoreCheckpoint parse(byte[] bytes) throws IOException {
        JsonNode root = Json.read(bytes);
        if (root == null || !root.isObject() || !root.has("exportId")) {
            throw new IOException("not a restore checkpoint");
        }
        List<String> strip = new ArrayList<>();
        root.path("stripAttributes").forEach(a -> strip.add(a.asText()));
        RestoreCheckpoint checkpoint = new RestoreCheckpoint(root.path("exportId").asText(), root.path("manifestSummaryMd5").asText(),
                root.path("targetTable").asText(), Set.copyOf(strip), Phase.valueOf(root.path("phase").asText("LOADING")),
                root.path("createdTable").asBoolean(false));
        root.path("finishedFiles").forEach(f -> checkpoint.finished.add(f.asInt()));
        root.path("startedFiles").fields().forEachRemaining(e -> {
            checkpoint.started.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
            checkpoint.durable.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
        });
        return checkpoint;
    }
}
