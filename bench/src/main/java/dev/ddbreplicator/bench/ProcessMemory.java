package dev.ddbreplicator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory from {@code /proc/<pid>/status}, in kB: {@code VmRSS} now and
 * {@code VmHWM}, the most it ever had (the kernel's own peak, so no sample can miss it).
 *
 * @param rssKb resident set size now
 * @param peakRssKb peak resident set size so far
 */
public record ProcessMemory(long rssKb, long peakRssKb) {

    public static final ProcessMemory UNKNOWN = new ProcessMemory(-1, -1);

    /** Reads a process's status; {@link #UNKNOWN} when it is gone or this is no Linux. */
    public static ProcessMemory of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** Parses the text of a {@code /proc/<pid>/status} file. */
    static ProcessMemory parse(String status) {
        long rss = -1;
        long hwm = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line);
            }
        }
        return new ProcessMemory(rss, hwm);
    }

    public double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    public double rssMb() {
        return rssKb / 1024.0;
    }

    private static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }
}
