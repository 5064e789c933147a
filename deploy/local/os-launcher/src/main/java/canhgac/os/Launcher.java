package canhgac.os;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;

import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one real OpenSearch 2 node (server + netty4 HTTP) from the jars on Maven Central,
 * bound to 127.0.0.1, security off, for local runs and tests of canhgac.
 *
 * Settings come from system properties: canhgac.os.home (required), canhgac.os.data,
 * canhgac.os.http.port (9201), canhgac.os.transport.port (9301), canhgac.os.host (127.0.0.1),
 * canhgac.os.cluster (canhgac-local).
 */
public final class Launcher {
    private Launcher() {}

    /**
     * The netty4 HTTP transport as MockNode wants it: 2.x takes plugin classes (Netty4Plugin), 3.x takes
     * PluginInfo descriptions (Netty4ModulePlugin). Reflection keeps one launcher for both lines.
     */
    private static Collection<?> httpPlugins(Constructor<MockNode> ctor) throws Exception {
        Class<?> netty;
        try {
            netty = Class.forName("org.opensearch.transport.Netty4Plugin");
        } catch (ClassNotFoundException e) {
            netty = Class.forName("org.opensearch.transport.Netty4ModulePlugin");
        }
        Type wanted = ((ParameterizedType) ctor.getGenericParameterTypes()[1]).getActualTypeArguments()[0];
        if (!"org.opensearch.plugins.PluginInfo".equals(wanted.getTypeName())) return List.of(netty);
        Class<?> info = Class.forName("org.opensearch.plugins.PluginInfo");
        Class<?> version = Class.forName("org.opensearch.Version");
        Object current = version.getField("CURRENT").get(null);
        Object pluginInfo = info.getConstructor(String.class, String.class, String.class, version, String.class, String.class, List.class, boolean.class)
            .newInstance(netty.getSimpleName(), "netty4 HTTP and transport", "1", current, System.getProperty("java.specification.version"), netty.getName(), List.of(), false);
        return List.of(pluginInfo);
    }

    public static void main(String[] args) throws Exception {
        String homeProp = System.getProperty("canhgac.os.home");
        if (homeProp == null || homeProp.isBlank()) {
            System.err.println("canhgac os-launcher: set -Dcanhgac.os.home=<dir> (where the node keeps config, data and logs)");
            System.exit(2);
        }
        Path home = Path.of(homeProp).toAbsolutePath();
        Path data = Path.of(System.getProperty("canhgac.os.data", home.resolve("data").toString())).toAbsolutePath();
        Path logs = home.resolve("logs");
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(data);
        Files.createDirectories(logs);
        String host = System.getProperty("canhgac.os.host", "127.0.0.1");
        String httpPort = System.getProperty("canhgac.os.http.port", "9201");
        String transportPort = System.getProperty("canhgac.os.transport.port", "9301");

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("cluster.name", System.getProperty("canhgac.os.cluster", "canhgac-local"))
            .put("node.name", "canhgac-os-0")
            .put("discovery.type", "single-node")
            .put("network.host", host)
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // A nearly full dev disk must not flip indices to read-only mid-test.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.configureWithoutConfig(settings);

        // MockNode's public constructors initialise OpenSearchTestCase, whose static setup refuses to run as root
        // (CI runs as root); the private one taking a ready Environment skips it.
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "canhgac-os-0");
        Constructor<MockNode> ctor = MockNode.class.getDeclaredConstructor(Environment.class, Collection.class, boolean.class);
        ctor.setAccessible(true);
        Node node = ctor.newInstance(environment, httpPlugins(ctor), false);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("canhgac os-launcher: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "canhgac-os-shutdown"));
        node.start();
        System.out.println("canhgac os-launcher: node started, http://" + host + ":" + httpPort);
        stopped.await();
    }
}
