package dev.ddbreplicator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class LoopbackBindingTest {

    @Test
    void aLoopbackRegionAnswersOnLoopbackAndRefusesConnectionsOnOtherAddresses() throws Exception {
        Optional<InetAddress> other = nonLoopbackAddress();
        try (LocalRegion region = LocalRegion.startOnLoopback("us-east-1", 0, Optional.empty());
             DynamoDbClient client = region.client()) {
            assertThat(client.listTables().tableNames()).isEmpty();
            assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
            assertThatThrownBy(() -> connect(other.get(), region.port())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPlainRegionStillListensOnEveryInterface() throws Exception {
        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (LocalRegion region = LocalRegion.inMemory("us-east-1")) {
            connect(other.get(), region.port());
        }
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
