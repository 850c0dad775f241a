package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.programs.ProcIpc;
import dev.juv.programs.ProcIpcEcho;
import dev.juv.support.ChildIo;
import dev.juv.support.Tags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyuv's tests/test_ipc.py: a JVM child on the other end of an IPC pipe, passing TCP servers,
 * pipes and UDP sockets both ways.
 */
@Timeout(90)
@Tag(Tags.PYUV)
@Tag(Tags.PROCESS)
class IpcTest extends UvTestCase {
    private final AtomicLong exitStatus = new AtomicLong(-1);
    private final ByteArrayOutputStream childStderr = new ByteArrayOutputStream();

    static {
        ChildIo.takeLazyDescriptors();
    }

    @BeforeAll
    static void posixOnly() {
        assumeFalse(ChildIo.windows(),
                "handle passing over Unix domain sockets");
    }

    /** The test JVM's own java binary. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Spawns {@code main} in a JVM with {@code channel} as its fd 0; its stderr is collected for
     * failure messages. The exit callback records the status and closes the process.
     */
    private ChildProcess spawnHelper(Pipe channel, Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        Pipe err = new Pipe(loop);
        ChildProcess p = ChildProcess.spawn(loop, ProcessOptions.command(argv.toArray(String[]::new))
                .stdio(Stdio.pipe(channel, Stdio.READABLE | Stdio.WRITABLE), Stdio.ignore(),
                        Stdio.pipe(err, Stdio.WRITABLE)),
                (proc, status, signal) -> {
                    exitStatus.set(status);
                    proc.close();
                });
        ChildIo.collect(err, childStderr, null);
        return p;
    }

    private String stderr() {
        return "child stderr: " + childStderr.toString(StandardCharsets.UTF_8);
    }

    private static String text(java.nio.ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The child sends its TCP server; both processes then accept on the one listening socket. */
    private void receiveServer(String mode) {
        Pipe channel = new Pipe(loop, true);
        spawnHelper(channel, ProcIpc.class, mode);
        List<String> messages = new ArrayList<>();
        List<HandleType> pending = new ArrayList<>();
        AtomicInteger clientsDone = new AtomicInteger();
        AtomicInteger parentAccepts = new AtomicInteger();
        StringBuilder received = new StringBuilder();
        channel.startRead((s, data, error) -> {
            if (data == null) {
                channel.close();
                return;
            }
            HandleType type = channel.pendingCount() > 0 ? channel.pendingType() : HandleType.UNKNOWN_HANDLE;
            received.append(text(data));
            String msg = received.toString();
            if (msg.equals("hello")) {
                received.setLength(0);
                messages.add(msg);
                pending.add(type);
                if (type != HandleType.TCP) {
                    channel.close();
                    return;
                }
                Tcp server = new Tcp(loop);
                channel.accept(server);
                server.listen(128, (srv, e) -> {
                    assertNull(e);
                    if (parentAccepts.getAndIncrement() == 0) {
                        Tcp conn = new Tcp(loop);
                        srv.accept(conn);
                        conn.close();
                        srv.close();
                    }
                });
                channel.write("world".getBytes(StandardCharsets.UTF_8));
                InetSocketAddress target = server.localAddress();
                for (int i = 0; i < 100; i++) {
                    new Tcp(loop).connect(target, (c, e) -> {
                        clientsDone.incrementAndGet();
                        c.close();
                    });
                }
            } else if (msg.equals("accepted_connection")) {
                received.setLength(0);
                messages.add(msg);
                pending.add(type);
                channel.close();
            }
        });
        loop.run();
        assertEquals(List.of("hello", "accepted_connection"), messages, stderr());
        assertEquals(List.of(HandleType.TCP, HandleType.UNKNOWN_HANDLE), pending, stderr());
        assertEquals(0, exitStatus.get(), stderr());
        assertEquals(100, clientsDone.get());
        assertTrue(parentAccepts.get() >= 1);
    }

    @Test
    void receiveListeningServerFromChild() {
        receiveServer("listen_before_write");
    }

    @Test
    void receiveServerThenChildListens() {
        receiveServer("listen_after_write");
    }

    /** Sends {@code handle} to ProcIpcEcho and accepts what comes back into {@code into}. */
    private void roundTrip(Handle handle, HandleType expected, Handle into) {
        Pipe channel = new Pipe(loop, true);
        spawnHelper(channel, ProcIpcEcho.class);
        List<HandleType> pending = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        channel.write(".".getBytes(StandardCharsets.UTF_8), handle, null);
        channel.startRead((s, data, error) -> {
            if (data == null) {
                channel.close();
                return;
            }
            if (channel.pendingCount() == 0) {
                return;
            }
            pending.add(channel.pendingType());
            channel.accept(into);
            accepted.incrementAndGet();
            channel.close();
            handle.close();
            into.close();
        });
        loop.run();
        if (!handle.isClosing()) {
            handle.close();
            into.close();
            loop.run();
        }
        assertEquals(List.of(expected), pending, stderr());
        assertEquals(1, accepted.get());
        assertEquals(0, exitStatus.get(), stderr());
    }

    @Test
    void pipeHandleRoundTrip() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "juv");
        try {
            Pipe sent = new Pipe(loop, true);
            sent.bind(dir.resolve("p.sock").toString());
            roundTrip(sent, HandleType.NAMED_PIPE, new Pipe(loop));
        } finally {
            Files.deleteIfExists(dir.resolve("p.sock"));
            Files.delete(dir);
        }
    }

    @Test
    void tcpHandleRoundTrip() {
        Tcp sent = new Tcp(loop);
        sent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        roundTrip(sent, HandleType.TCP, new Tcp(loop));
    }

    @Test
    void udpHandleRoundTrip() throws Exception {
        Class<?> udp;
        try {
            udp = Class.forName("dev.juv.Udp");
        } catch (ClassNotFoundException e) {
            udp = null;
        }
        assumeTrue(udp != null, "dev.juv.Udp is not part of this build");
        Handle sent = (Handle) udp.getConstructor(Loop.class).newInstance(loop);
        Method bind = udp.getMethod("bind", InetSocketAddress.class);
        bind.invoke(sent, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Handle into = (Handle) udp.getConstructor(Loop.class).newInstance(loop);
        roundTrip(sent, HandleType.UDP, into);
    }
}
