package dev.ddbreplicator.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A native full export written by hand from AWS's documented output format ("DynamoDB table export
 * output format", DynamoDB Developer Guide): a pretty-printed {@code manifest-summary.json} of version
 * 2020-06-30 without {@code exportType} (exports made before incremental exports existed carry none),
 * manifest keys as in the guide's example (without the export prefix), JSON-lines
 * {@code manifest-files.json}, gzip data files of {@code {"Item":{...}}} lines, an empty partition's
 * file, and checksum files with the base64 MD5 of the manifests.
 */
final class NativeExportFixture {

    static final String EXPORT_ID = "01604474914028-a1b2c3d4";
    static final String PREFIX = "2020-Nov";
    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog";

    /** Items in DynamoDB JSON, one per line of a data file; the first is the guide's own example. */
    static final List<List<String>> FILES = List.of(
            List.of(
                    "{\"Item\":{\"Authors\":{\"SS\":[\"Author1\",\"Author2\"]},\"Dimensions\":{\"S\":\"8.5 x 11.0 x 1.5\"},"
                            + "\"ISBN\":{\"S\":\"333-3333333333\"},\"Id\":{\"N\":\"103\"},\"InPublication\":{\"BOOL\":false},"
                            + "\"PageCount\":{\"N\":\"600\"},\"Price\":{\"N\":\"2000\"},\"ProductCategory\":{\"S\":\"Book\"},"
                            + "\"Title\":{\"S\":\"Book 103 Title\"}}}",
                    "{\"Item\":{\"Id\":{\"N\":\"104\"},\"Cover\":{\"B\":\"iVBORw0KGgo=\"},\"Discontinued\":{\"NULL\":true},"
                            + "\"Ratings\":{\"NS\":[\"4\",\"5\",\"3.5\"]},\"Thumbnails\":{\"BS\":[\"AQID\",\"BAUG\"]}}}"),
            List.of(
                    "{\"Item\":{\"Id\":{\"N\":\"205\"},\"Title\":{\"S\":\"Bicycle 205\"},\"Details\":{\"M\":{\"Color\":{\"S\":\"red\"},"
                            + "\"Photo\":{\"B\":\"/9j/4AAQ\"},\"Sizes\":{\"L\":[{\"N\":\"54\"},{\"B\":\"AAE=\"},{\"M\":{\"Raw\":{\"B\":\"AgM=\"}}}]}}},"
                            + "\"Tags\":{\"L\":[{\"S\":\"bike\"},{\"BOOL\":true},{\"NULL\":true}]}}}"),
            List.of());

    /** The names of the data files: the first two are the guide's examples. */
    static final List<String> NAMES = List.of("bafybeiczss3yxay3o4abnabbb", "gkes5o3lnrhoznhnkyax3hxvya", "x24s4lbil47rdhma34ilkmrmba");

    private NativeExportFixture() {
    }

    static int itemCount() {
        return FILES.stream().mapToInt(List::size).sum();
    }

    /**
     * Writes the export.
     *
     * @param checksumSuffix {@code .md5} (what exports carry) or {@code .checksum} (the name the guide uses)
     * @param emptyFileAsZeroBytes whether the empty partition's file is zero bytes rather than an empty gzip stream
     */
    static void write(S3Client s3, String bucket, String checksumSuffix, boolean emptyFileAsZeroBytes) throws Exception {
        String relative = "AWSDynamoDB/" + EXPORT_ID + "/";
        String dir = PREFIX + "/" + relative;
        put(s3, bucket, dir + "_started", new byte[0]);
        StringBuilder files = new StringBuilder();
        for (int f = 0; f < FILES.size(); f++) {
            byte[] data = FILES.get(f).isEmpty() && emptyFileAsZeroBytes ? new byte[0] : gzip(FILES.get(f));
            String key = relative + "data/" + NAMES.get(f) + ".json.gz";
            put(s3, bucket, PREFIX + "/" + key, data);
            String etag = s3.headObject(b -> b.bucket(bucket).key(PREFIX + "/" + key)).eTag().replace("\"", "");
            files.append("{\"itemCount\":").append(FILES.get(f).size())
                    .append(",\"md5Checksum\":\"").append(NativeLayoutChecker.base64Md5(data))
                    .append("\",\"etag\":\"").append(etag)
                    .append("\",\"dataFileS3Key\":\"").append(key).append("\"}\n");
        }
        byte[] filesManifest = files.toString().getBytes(StandardCharsets.UTF_8);
        put(s3, bucket, dir + "manifest-files.json", filesManifest);
        put(s3, bucket, dir + "manifest-files" + checksumSuffix, NativeLayoutChecker.base64Md5(filesManifest).getBytes(StandardCharsets.US_ASCII));
        String summary = """
                {
                   "version": "2020-06-30",
                   "exportArn": "%s/export/%s",
                   "startTime": "2020-11-04T07:28:34.028Z",
                   "endTime": "2020-11-04T07:33:43.897Z",
                   "tableArn": "%s",
                   "tableId": "12345a12-abcd-123a-ab12-1234abc12345",
                   "exportTime": "2020-11-04T07:28:34.028Z",
                   "s3Bucket": "%s",
                   "s3Prefix": "%s",
                   "s3SseAlgorithm": "AES256",
                   "s3SseKmsKeyId": null,
                   "manifestFilesS3Key": "%smanifest-files.json",
                   "billedSizeBytes": 0,
                   "itemCount": %d,
                   "outputFormat": "DYNAMODB_JSON"
                }
                """.formatted(TABLE_ARN, EXPORT_ID, TABLE_ARN, bucket, PREFIX, relative, itemCount());
        byte[] summaryBytes = summary.getBytes(StandardCharsets.UTF_8);
        put(s3, bucket, dir + "manifest-summary.json", summaryBytes);
        put(s3, bucket, dir + "manifest-summary" + checksumSuffix, NativeLayoutChecker.base64Md5(summaryBytes).getBytes(StandardCharsets.US_ASCII));
    }

    static List<String> allLines() {
        List<String> lines = new ArrayList<>();
        FILES.forEach(lines::addAll);
        return lines;
    }

    static byte[] gzip(List<String> lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (String line : lines) {
                gzip.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static void put(S3Client s3, String bucket, String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }
}
