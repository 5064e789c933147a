package canhgac.es;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.node.MockNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.plugins.Plugin;

import java.io.Closeable;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one real Elasticsearch node (server + netty4 HTTP) from the jars on Maven Central,
 * bound to 127.0.0.1, security off, for local runs and tests of canhgac.
 *
 * Settings come from system properties: canhgac.es.home (required), canhgac.es.data,
 * canhgac.es.http.port (9200), canhgac.es.transport.port (9300), canhgac.es.host (127.0.0.1),
 * canhgac.es.cluster (canhgac-local).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        String homeProp = System.getProperty("canhgac.es.home");
        if (homeProp == null || homeProp.isBlank()) {
            System.err.println("canhgac es-launcher: set -Dcanhgac.es.home=<dir> (where the node keeps config, data and logs)");
            System.exit(2);
        }
        Path home = Path.of(homeProp).toAbsolutePath();
        Path data = Path.of(System.getProperty("canhgac.es.data", home.resolve("data").toString())).toAbsolutePath();
        Path logs = home.resolve("logs");
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(data);
        Files.createDirectories(logs);
        String host = System.getProperty("canhgac.es.host", "127.0.0.1");
        String httpPort = System.getProperty("canhgac.es.http.port", "9200");
        String transportPort = System.getProperty("canhgac.es.transport.port", "9300");

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("cluster.name", System.getProperty("canhgac.es.cluster", "canhgac-local"))
            .put("node.name", "canhgac-es-0")
            .put("discovery.type", "single-node")
            .put("network.host", host)
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // A nearly full dev disk must not flip indices to read-only mid-test.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);

        // MockNode's public constructors initialise ESTestCase, whose static setup refuses to run as root
        // (CI runs as root); the private one taking a ready Environment skips it.
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "canhgac-es-0");
        Constructor<MockNode> ctor = MockNode.class.getDeclaredConstructor(Environment.class, Collection.class, boolean.class, Closeable.class);
        ctor.setAccessible(true);
        Closeable noop = () -> {};
        Collection<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class);
        Node node = ctor.newInstance(environment, plugins, false, noop);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("canhgac es-launcher: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "canhgac-es-shutdown"));
        node.start();
        System.out.println("canhgac es-launcher: node started, http://" + host + ":" + httpPort);
        stopped.await();
    }
}
