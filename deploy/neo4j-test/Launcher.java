import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs a Neo4j Community engine embedded in this JVM, for tests: one Bolt
 * connector on 127.0.0.1 with authentication, its data in a new temporary
 * directory that is deleted when the engine stops.
 *
 * <p>Run with {@code java -cp 'lib/*' Launcher.java} after the jars of
 * pom.xml were copied into lib/. Environment:
 *
 * <ul>
 *   <li>NEO4J_TEST_PASSWORD (required): the password set for user neo4j, at
 *       least 8 characters.
 *   <li>NEO4J_TEST_PORT: the Bolt port; 0 or unset picks a free one.
 *   <li>NEO4J_TEST_PAGECACHE_MB: page cache size, 128 by default.
 *   <li>NEO4J_TEST_KEEP_DATA: if "true", the data directory (with the
 *       engine's logs/debug.log) is kept after shutdown.
 * </ul>
 *
 * <p>Once Bolt accepts logins it prints one line {@code NEO4J_READY
 * bolt://127.0.0.1:PORT}. SIGTERM (or SIGINT) shuts the engine down cleanly
 * and deletes the data.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("neo4j-test: NEO4J_TEST_PASSWORD must be set to at least 8 characters");
            System.exit(2);
        }
        int port = intEnv("NEO4J_TEST_PORT", 0);
        if (port == 0) {
            port = freePort();
        }
        long pagecacheMB = intEnv("NEO4J_TEST_PAGECACHE_MB", 128);

        Path home = Files.createTempDirectory("klusterkarta-neo4j-");
        System.out.println("neo4j-test: data in " + home);

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pagecacheMB * 1024 * 1024)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                    .build();
        } catch (RuntimeException e) {
            deleteTree(home);
            throw e;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long t = System.nanoTime();
            System.out.println("neo4j-test: shutting down");
            try {
                dbms.shutdown();
            } catch (RuntimeException e) {
                System.out.println("neo4j-test: shutdown failed: " + e);
            }
            try {
                if ("true".equals(System.getenv("NEO4J_TEST_KEEP_DATA"))) {
                    System.out.println("neo4j-test: data kept in " + home);
                } else {
                    deleteTree(home);
                }
            } catch (IOException e) {
                System.out.println("neo4j-test: deleting " + home + ": " + e);
            }
            System.out.printf("neo4j-test: stopped in %d ms%n", (System.nanoTime() - t) / 1_000_000);
            System.out.flush();
        }, "neo4j-test-shutdown"));

        // The engine creates user neo4j with the password "neo4j", which a
        // client must change before anything else; set the real one now.
        // Procedures on the system database run with full rights here.
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                java.util.Map.of("password", password));

        System.out.printf("neo4j-test: engine up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        System.out.println("NEO4J_READY bolt://127.0.0.1:" + port);
        System.out.flush();

        // The engine's threads keep the JVM alive; wait for a signal.
        Thread.currentThread().join();
    }

    private static int intEnv(String name, int def) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        return Integer.parseInt(v);
    }

    /** Returns a port that was free on 127.0.0.1 a moment ago. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
