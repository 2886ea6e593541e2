// A Neo4j 5 Community server for labournet, started without Docker or a Neo4j distribution.
//
// Run in Java's single-file source mode, with the jars that pom.xml resolves on the class path:
//
//   java -cp 'lib/*' Launcher.java HOME/neo4j.conf
//
// It starts the embedded database management service with the settings of the config file
// (Bolt on the address it names, authentication on, plugins from its plugin folder), sets the
// password of the user `neo4j` from the environment variable LABOURNET_NEO4J_INITIAL_PASSWORD
// while that user still has the default password, optionally serves the static Neo4j Browser
// on a local HTTP port, and shuts the database down cleanly on SIGTERM.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.Optional;
import org.neo4j.configuration.Config;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilderImplementation;
import org.neo4j.gds.applications.operations.FeatureTogglesRepository;
import org.neo4j.gds.core.model.OpenModelCatalog;
import org.neo4j.gds.core.write.NativeExportBuildersProvider;
import org.neo4j.gds.metrics.Metrics;
import org.neo4j.gds.procedures.integration.DefaultExportLocation;
import org.neo4j.gds.procedures.integration.LogAccessor;
import org.neo4j.gds.procedures.integration.OpenGraphDataScienceExtensionBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.logging.internal.LogService;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp 'lib/*' Launcher.java NEO4J_CONF");
            System.exit(2);
        }
        Path config = Path.of(args[0]).toAbsolutePath();
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            settings.load(in);
        }
        Path home = config.getParent();
        Path neo4jConfig = home.resolve("neo4j-server.conf");
        // labournet.* keys are the launcher's own; Neo4j refuses settings it does not know
        StringBuilder neo4jSettings = new StringBuilder();
        for (String key : settings.stringPropertyNames()) {
            if (!key.startsWith("labournet.")) {
                neo4jSettings.append(key).append('=').append(settings.getProperty(key)).append('\n');
            }
        }
        Files.writeString(neo4jConfig, neo4jSettings.toString(), StandardCharsets.UTF_8);

        DatabaseManagementService service = new Builder(home)
                .loadPropertiesFromFile(neo4jConfig)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            service.shutdown();
            log("stopped");
            stopped.countDown();
        }));
        setInitialPassword(service);
        String browserPort = settings.getProperty("labournet.browser.port", "");
        if (!browserPort.isEmpty()) {
            serveBrowser(settings.getProperty("labournet.browser.host", "127.0.0.1"),
                    Integer.parseInt(browserPort), settings.getProperty("labournet.bolt.uri", ""));
        }
        log("ready; Bolt on " + settings.getProperty("server.bolt.listen_address"));
        stopped.await();
    }

    /** Replace the default password of `neo4j` once, on the first start of a data folder. */
    private static void setInitialPassword(DatabaseManagementService service) {
        String password = System.getenv("LABOURNET_NEO4J_INITIAL_PASSWORD");
        if (password == null || password.isEmpty()) {
            return;
        }
        GraphDatabaseService system = service.database("system");
        boolean initial = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired",
                Map.of(),
                result -> result.hasNext() && Boolean.TRUE.equals(result.next().get("passwordChangeRequired")));
        if (initial) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            log("set the password of user neo4j");
        }
    }

    /** Serve the Neo4j Browser's static files (from its jar on the class path) over HTTP. */
    private static void serveBrowser(String host, int port, String boltUri) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", exchange -> {
            try {
                handleBrowser(exchange, boltUri);
            } finally {
                exchange.close();
            }
        });
        server.start();
        log("Neo4j Browser on http://" + host + ":" + port + "/browser/");
    }

    private static void handleBrowser(HttpExchange exchange, String boltUri) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/") || path.isEmpty()) {
            // the discovery document the Browser reads to find Bolt, as a Neo4j server serves it
            String body = "{\"bolt_direct\":\"" + boltUri + "\",\"bolt_routing\":\""
                    + boltUri.replace("bolt://", "neo4j://") + "\",\"neo4j_version\":\"5\","
                    + "\"neo4j_edition\":\"community\"}";
            reply(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!path.startsWith("/browser")) {
            reply(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String file = path.substring("/browser".length());
        if (file.isEmpty() || file.equals("/")) {
            file = "/index.html";
        }
        if (file.contains("..")) {
            reply(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream("browser" + file)) {
            if (in == null) {
                reply(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            reply(exchange, 200, contentType(file), in.readAllBytes());
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) return "text/html; charset=utf-8";
        if (file.endsWith(".js")) return "application/javascript";
        if (file.endsWith(".css")) return "text/css";
        if (file.endsWith(".json")) return "application/json";
        if (file.endsWith(".svg")) return "image/svg+xml";
        if (file.endsWith(".png")) return "image/png";
        if (file.endsWith(".ico")) return "image/x-icon";
        if (file.endsWith(".woff")) return "font/woff";
        if (file.endsWith(".woff2")) return "font/woff2";
        if (file.endsWith(".ttf")) return "font/ttf";
        return "application/octet-stream";
    }

    private static void log(String message) {
        System.out.println("labournet-neo4j: " + message);
        System.out.flush();
    }

    /** The embedded builder, with the open Graph Data Science extension added. */
    static final class Builder extends DatabaseManagementServiceBuilderImplementation {
        Builder(Path home) {
            super(home);
            extensions.add(new OpenGdsExtension());
        }
    }

    /**
     * Registers the open-edition Graph Data Science components (the procedures' facade) when the
     * database starts. The GDS plugin bundle does this in a module that is not published on Maven
     * Central, so the launcher does it with the published builder and open-edition parts.
     */
    public static final class OpenGdsExtension extends ExtensionFactory<OpenGdsExtension.Dependencies> {
        public interface Dependencies {
            Config config();

            GlobalProcedures globalProcedures();

            LogService logService();
        }

        public OpenGdsExtension() {
            super(ExtensionType.GLOBAL, "labournet.gds.open");
        }

        @Override
        public Lifecycle newInstance(ExtensionContext context, Dependencies dependencies) {
            var log = new LogAccessor().getLog(dependencies.logService(), getClass());
            var config = dependencies.config();
            var builder = OpenGraphDataScienceExtensionBuilder.create(
                    log,
                    dependencies.globalProcedures(),
                    config,
                    (database, configuration) -> new NativeExportBuildersProvider(),
                    new DefaultExportLocation(log, config),
                    new FeatureTogglesRepository(),
                    Metrics.DISABLED,
                    new OpenModelCatalog(),
                    model -> {
                        throw new UnsupportedOperationException("the open edition of GDS cannot store models");
                    },
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
            return builder.getLeft().build();
        }
    }
}
