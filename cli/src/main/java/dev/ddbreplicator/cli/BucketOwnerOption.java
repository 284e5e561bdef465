package dev.ddbreplicator.cli;

import dev.ddbreplicator.backup.ExpectedBucketOwner;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code --expected-bucket-owner ACCOUNT} of the backup verbs: S3 refuses a bucket of any other account. */
final class BucketOwnerOption {

    @Option(names = "--expected-bucket-owner", paramLabel = "ACCOUNT",
            description = "The 12-digit account that must own the bucket: S3's ExpectedBucketOwner goes with every call, so S3 "
                    + "refuses (403) a bucket of any other account.")
    String account;

    /** The S3 client of the region, sending the expected owner when one is given. */
    S3Client s3(Environment env, String region) {
        S3Client s3 = env.clients().s3(region);
        return account == null ? s3 : ExpectedBucketOwner.wrap(s3, ExpectedBucketOwner.account("--expected-bucket-owner", account));
    }
}
