package dev.ddbreplicator.bench.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip time and size of export-like DynamoDB JSON lines (40,000 items of ~1 KB of random text, like
 * the backup benchmark's) at zlib levels 6 (the JDK's default) and 1 (what exports use). Run by hand:
 * {@code java -cp bench/target/classes dev.ddbreplicator.bench.backup.GzipLevels}.
 */
public final class GzipLevels {

    private static final int ROUNDS = 4;

    private GzipLevels() {
    }

    public static void main(String[] args) throws IOException {
        byte[] data = exportLines(40_000);
        System.out.printf("input %.1f MB of DynamoDB JSON lines%n", data.length / 1e6);
        // The first round warms the JIT up and is not printed.
        for (int round = 0; round < ROUNDS; round++) {
            for (int level : new int[] {6, 1}) {
                long start = System.nanoTime();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (OutputStream gzip = new LevelGzip(out, level)) {
                    for (int offset = 0; offset < data.length; offset += 8192) {
                        gzip.write(data, offset, Math.min(8192, data.length - offset));
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round > 0) {
                    System.out.printf("round %d, level %d: %.0f ms, %.1f MB/s in, %.2f MB out (%.3f of the input)%n", round, level,
                            seconds * 1000, data.length / 1e6 / seconds, out.size() / 1e6, out.size() / (double) data.length);
                }
            }
        }
    }

    private static byte[] exportLines(int items) {
        Random random = new Random(7);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < items; i++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 1000) {
                text.append(Long.toString(random.nextLong(), 36));
            }
            lines.append("{\"Item\":{\"pk\":{\"S\":\"item-").append(i).append("\"},\"text\":{\"S\":\"").append(text)
                    .append("\"},\"n\":{\"N\":\"").append(random.nextInt(1_000_000)).append("\"}}}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final class LevelGzip extends GZIPOutputStream {
        LevelGzip(OutputStream out, int level) throws IOException {
            super(out, 64 << 10);
            def.setLevel(level);
        }
    }
}
