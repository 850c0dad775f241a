package dev.juv;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * One result of {@link Dns#getaddrinfo}: an entry of the C library's {@code struct addrinfo}
 * list, read into Java values.
 *
 * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
 * @param socktype the socket type, such as {@link Dns#SOCK_STREAM}
 * @param protocol the protocol, such as {@link Dns#IPPROTO_TCP}
 * @param address the address and port
 * @param canonicalName the canonical name (only asked for with {@link Dns#AI_CANONNAME}), or null
 */
public record AddressInfo(StandardProtocolFamily family, int socktype, int protocol, InetSocketAddress address,
        String canonicalName) {}
