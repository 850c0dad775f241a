package dev.juv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.juv.Signal;
import dev.juv.support.ExampleJvm;
import dev.juv.support.Tags;
import dev.juv.support.TestLibc;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@link EchoServerUdp} as a separate JVM and talks to it with a plain DatagramSocket. */
@Timeout(60)
@Tag(Tags.EXAMPLES)
class EchoServerUdpTest {
    @Test
    void echoesEveryDatagramAndStopsOnSigint() throws Exception {
        assumeTrue(TestLibc.SUPPORTED, "sending SIGINT needs TestLibc");
        try (ExampleJvm jvm = ExampleJvm.start("EchoServerUdp", "127.0.0.1", "0")) {
            Matcher ready = jvm.awaitLine("Listening on 127\\.0\\.0\\.1:(\\d+) \\(libuv .+\\)", 20_000);
            int port = Integer.parseInt(ready.group(1));
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            byte[] binary = new byte[1500];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) i;
            }
            byte[] large = new byte[60_000];
            Arrays.fill(large, (byte) 0x5a);
            List<byte[]> datagrams = List.of("hello".getBytes(StandardCharsets.US_ASCII), binary, new byte[0],
                    "with\0nul".getBytes(StandardCharsets.US_ASCII), large);
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                client.setSoTimeout(5000);
                for (byte[] d : datagrams) {
                    client.send(new DatagramPacket(d, d.length, server));
                    DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
                    client.receive(reply);
                    assertEquals(server, reply.getSocketAddress());
                    assertArrayEquals(d, Arrays.copyOf(reply.getData(), reply.getLength()));
                }
            }
            jvm.signal(Signal.SIGINT);
            jvm.awaitLine("Stopped!", 10_000);
            assertEquals(0, jvm.awaitExit(10_000), jvm.stderr());
        }
    }
}
