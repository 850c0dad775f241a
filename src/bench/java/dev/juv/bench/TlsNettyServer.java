package dev.juv.bench;

import dev.juv.Loop;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference of ci/bench's tls group: Netty's epoll transport with one event loop thread, an
 * {@code SslHandler} from {@code SslContextBuilder} with the JDK's provider (the same
 * {@code SSLEngine} juv drives), TLS 1.3 and the cipher suite of {@link TlsSetup}, then the echo
 * handler of {@link NettyEchoServer}. Prints {@code Listening on <port>}; SIGUSR1 prints a STATS
 * line (a juv loop of its own watches the signal; it does nothing else); SIGINT or SIGTERM end
 * the JVM.
 *
 * <pre>TlsNettyServer port keystore.p12</pre>
 */
public final class TlsNettyServer {
    private TlsNettyServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SslContext ssl = SslContextBuilder.forServer(TlsSetup.keys(Path.of(args[1])))
                .sslProvider(SslProvider.JDK)
                .protocols(TlsSetup.PROTOCOL)
                .ciphers(List.of(TlsSetup.SUITE))
                .build();
        Loop stats = Loop.start("stats");
        stats.submit(() -> {
            TlsSetup.statsOnSignal(stats);
            return null;
        }).join();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            NettyEchoServer.Echo echo = new NettyEchoServer.Echo();
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), echo);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.println("Listening on " + ((InetSocketAddress) server.localAddress()).getPort());
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
            stats.close();
        }
    }
}
