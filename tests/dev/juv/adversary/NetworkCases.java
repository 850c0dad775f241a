package dev.juv.adversary;

import static dev.juv.adversary.Kit.check;

import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.Udp;
import dev.juv.UvException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests libuv would fail as a group, and accepts libuv would ruin: a bad UDP destination
 * fails only its own send (valid datagrams queued with it arrive and report success); an
 * accept() into a client that cannot take the connection leaves the connection pending, and a
 * proper client accepts it afterwards.
 */
final class NetworkCases {
    private NetworkCases() {}

    static void register(Catalogue c) {
        c.add("udp-port-zero-in-batch", "a datagram to port 0 queued among valid ones: only it fails", 15,
                () -> udpBatch(new InetSocketAddress("127.0.0.1", 0)));
        c.add("udp-ipv6-from-ipv4-in-batch", "a datagram to ::1 from an IPv4 socket queued among valid ones: only it fails", 15,
                () -> udpBatch(new InetSocketAddress("::1", 9)));
        c.add("udp-oversize-in-batch", "an oversize datagram queued among valid ones: only it fails", 15,
                () -> udpBatch(null));
        c.add("accept-into-connected-client", "accept() into a connected Tcp fails; the pending connection is accepted next", 15,
                () -> accept("connected"));
        c.add("accept-into-bound-client", "accept() into a bound Tcp fails; the pending connection is accepted next", 15,
                () -> accept("bound"));
        c.add("accept-into-closed-client", "accept() into a closed Tcp fails; the pending connection is accepted next", 15,
                () -> accept("closed"));
        c.add("accept-into-other-loop-client", "accept() into a Tcp of another loop fails; the pending connection is accepted next", 15,
                () -> accept("other-loop"));
        c.add("accept-into-pipe-client", "accept() of a TCP connection into a Pipe fails; the pending connection is accepted next", 15,
                () -> accept("pipe"));
        c.add("pipe-accept-into-bound-pipe", "a pipe server's accept() into a bound Pipe fails; the pending connection is accepted next", 15,
                () -> accept("pipe-bound"));
    }

    static String udpBatch(InetSocketAddress bad) throws Exception {
        Loop loop = new Loop();
        Udp in = new Udp(loop);
        in.bind(Kit.LOOPBACK);
        List<String> got = new ArrayList<>();
        in.startRecv((u, f, d, fl, e) -> {
            if (d != null) {
                got.add(new String(Kit.bytes(d)));
            }
        });
        Udp out = new Udp(loop);
        out.bind(Kit.LOOPBACK);
        List<String> results = new ArrayList<>();
        String badOutcome = "not sent";
        for (int i = 0; i < 6; i++) {
            String msg = "valid-" + i;
            int k = i;
            out.send(in.localAddress(), msg.getBytes(), (u, e) -> results.add(k + ":" + (e == null ? "ok" : e.name())));
            if (i == 2) {
                byte[] data = bad == null ? new byte[70_000] : "bad".getBytes();
                InetSocketAddress to = bad == null ? in.localAddress() : bad;
                List<String> br = results;
                try {
                    out.send(to, data, (u, e) -> br.add("bad:" + (e == null ? "ok" : e.name())));
                    badOutcome = "accepted";
                } catch (IllegalArgumentException | UvException e) {
                    badOutcome = "refused: " + e;
                }
            }
        }
        Kit.runUntil(loop, () -> got.size() >= 6 && results.size() >= 6, 3000);
        List<String> wrong = new ArrayList<>();
        for (String r : results) {
            if (!r.startsWith("bad:") && !r.endsWith(":ok")) {
                wrong.add(r);
            }
        }
        check(wrong.isEmpty(), "valid datagrams failed with the bad one: " + wrong + " (bad one " + badOutcome + ")");
        check(got.size() == 6, "only " + got.size() + " of 6 valid datagrams arrived: " + got);
        Kit.cleanUp(loop);
        return "bad one " + badOutcome + "; 6 valid arrived";
    }

    static String accept(String client) throws Exception {
        Loop loop = new Loop();
        boolean pipe = client.startsWith("pipe-");
        Path dir = Kit.tempDir();
        Stream<?> server = pipe ? new Pipe(loop) : new Tcp(loop);
        String name = dir.resolve("srv").toString();
        if (pipe) {
            ((Pipe) server).bind(name);
        } else {
            ((Tcp) server).bind(Kit.LOOPBACK);
        }
        Loop other = new Loop();
        Tcp connectedClient = client.equals("connected") ? Kit.tcpPair(loop)[1] : null;
        List<String> firstTry = new ArrayList<>();
        Stream<?>[] accepted = {null};
        server.listen(4, (s, e) -> {
            if (accepted[0] != null) {
                return;
            }
            Stream<?> wrong = switch (client) {
                case "connected" -> connectedClient;
                case "bound" -> {
                    Tcp t = new Tcp(loop);
                    t.bind(Kit.LOOPBACK);
                    yield t;
                }
                case "closed" -> {
                    Tcp t = new Tcp(loop);
                    t.close();
                    yield t;
                }
                case "other-loop" -> new Tcp(other);
                case "pipe" -> new Pipe(loop);
                case "pipe-bound" -> {
                    Pipe b = new Pipe(loop);
                    b.bind(dir.resolve("other").toString());
                    yield b;
                }
                default -> throw new IllegalArgumentException(client);
            };
            try {
                s.accept(wrong);
                firstTry.add("accepted into the wrong client");
            } catch (IllegalArgumentException | IllegalStateException | UvException ex) {
                firstTry.add(ex.getClass().getSimpleName() + (ex instanceof UvException u ? " " + u.name() : ""));
            }
            Stream<?> right = pipe ? new Pipe(loop) : new Tcp(loop);
            try {
                s.accept(right);
                accepted[0] = right;
            } catch (RuntimeException ex) {
                firstTry.add("then the proper client failed: " + ex);
                right.close();
            }
        });
        Stream<?> peer = pipe ? new Pipe(loop) : new Tcp(loop);
        boolean[] connected = {false};
        if (pipe) {
            ((Pipe) peer).connect(name, (x, e) -> connected[0] = e == null);
        } else {
            ((Tcp) peer).connect(((Tcp) server).localAddress(), (x, e) -> connected[0] = e == null);
        }
        Kit.runUntil(loop, () -> !firstTry.isEmpty() && connected[0], 3000);
        check(!firstTry.isEmpty(), "no connection came in");
        check(!firstTry.get(0).startsWith("accepted"), "accept() into a " + client + " client was accepted");
        check(accepted[0] != null, "after the failed accept the pending connection was gone: " + firstTry);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Kit.collect(accepted[0], got);
        peer.write("hello".getBytes());
        check(Kit.runUntil(loop, () -> got.size() == 5, 3000), "the accepted connection carries no data");
        Kit.cleanUp(loop);
        Kit.cleanUp(other);
        return "first accept " + firstTry.get(0) + ", then accepted";
    }
}
