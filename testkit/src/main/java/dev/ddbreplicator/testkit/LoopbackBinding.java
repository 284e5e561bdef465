package dev.ddbreplicator.testkit;

import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Makes a DynamoDB Local server listen on 127.0.0.1 only. DynamoDB Local has no option for the
 * listening address: its {@code DynamoDBProxyServer} builds a Jetty {@code new Server(port)},
 * whose connector listens on every interface. The connector's host can still be set before
 * the server starts; the Jetty server is reached through the proxy's private field, since
 * nothing else exposes it.
 */
final class LoopbackBinding {

    static final String LOOPBACK = "127.0.0.1";

    private LoopbackBinding() {
    }

    /** Sets every connector of the not yet started server to the loopback address; fails rather than listen wider. */
    static void apply(DynamoDBProxyServer proxy) {
        Server jetty;
        try {
            Field field = DynamoDBProxyServer.class.getDeclaredField("server");
            field.setAccessible(true);
            jetty = (Server) field.get(proxy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot restrict DynamoDB Local to loopback in this DynamoDB Local version: " + e, e);
        }
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local has no connector to restrict to loopback");
        }
        for (Connector connector : connectors) {
            if (!(connector instanceof ServerConnector network)) {
                throw new IllegalStateException("unexpected DynamoDB Local connector " + connector.getClass().getName());
            }
            network.setHost(LOOPBACK);
        }
    }
}
