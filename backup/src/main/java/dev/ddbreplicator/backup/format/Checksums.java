package dev.ddbreplicator.backup.format;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The MD5 sums of native exports: {@code md5Checksum} in {@code manifest-files.json} and the content
 * of the {@code .md5} files are the base64 of the 16-byte MD5 (24 characters, no newline).
 */
public final class Checksums {

    private Checksums() {
    }

    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    public static String base64Md5(byte[] bytes) {
        return Base64.getEncoder().encodeToString(md5().digest(bytes));
    }

    public static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** The {@code .md5} file's bytes for content. */
    public static byte[] md5File(byte[] content) {
        return base64Md5(content).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads an MD5 written as base64 (as DynamoDB does) or as hex (as other tools do).
     *
     * @return the 16 bytes, or empty when the text is neither
     */
    public static Optional<byte[]> parseMd5(String text) {
        String t = text.strip();
        try {
            if (t.length() == 32) {
                return Optional.of(HexFormat.of().parseHex(t));
            }
            byte[] bytes = Base64.getDecoder().decode(t);
            return bytes.length == 16 ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
