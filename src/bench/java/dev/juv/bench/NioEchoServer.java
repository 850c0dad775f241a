package dev.juv.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A peer of {@link EchoServer} for ci/bench's peers group: the echo server a JVM user writes
 * with the JDK alone, one thread and one {@link Selector}. Each read lands in one reused 64 KiB
 * direct buffer and is written back at once; what the socket does not take is kept per
 * connection and the connection stops reading until it has drained. Prints
 * {@code Listening on <port>}; SIGINT or SIGTERM end the JVM.
 *
 * <pre>NioEchoServer [port] [host]</pre>
 */
public final class NioEchoServer {
    private NioEchoServer() {}

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(host, port), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println("Listening on " + ((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            while (true) {
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        if (key.isAcceptable()) {
                            accept(server, selector);
                        } else if (key.isReadable()) {
                            read(key, buf);
                        } else if (key.isWritable()) {
                            drain(key);
                        }
                    } catch (IOException e) {
                        key.channel().close();
                    }
                }
            }
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ);
        }
    }

    private static void read(SelectionKey key, ByteBuffer buf) throws IOException {
        SocketChannel c = (SocketChannel) key.channel();
        buf.clear();
        int n = c.read(buf);
        if (n < 0) {
            c.close();
            return;
        }
        buf.flip();
        c.write(buf);
        if (buf.hasRemaining()) {
            // the buffer is reused by the next read: keep a copy of the rest and wait for room
            ByteBuffer rest = ByteBuffer.allocate(buf.remaining());
            rest.put(buf).flip();
            key.attach(rest);
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private static void drain(SelectionKey key) throws IOException {
        ByteBuffer rest = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(rest);
        if (!rest.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }
}
