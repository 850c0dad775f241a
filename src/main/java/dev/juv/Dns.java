package dev.juv;

import dev.juv.internal.AddrinfoLayout;
import dev.juv.internal.Platform;
import dev.juv.internal.Sockaddr;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Name resolution through libuv: {@code uv_getaddrinfo} and {@code uv_getnameinfo}, each
 * asynchronous (the lookup runs on juv's pool of daemon threads, never on libuv's own, and the
 * callback on the loop thread) and synchronous (on the calling thread). The flag constants hold
 * the running platform's values.
 *
 * <p>Both forms make libuv's synchronous call and read its result from the request. A lookup
 * blocked in the system's resolver therefore never holds up {@code System.exit}.
 *
 * <p>The {@code …Async} twins of the asynchronous forms return a {@link CompletableFuture} and
 * may be called from any thread; see {@link Fs} for how such futures behave.
 */
public final class Dns {
    private Dns() {}

    private static final boolean LINUX_VALUES = !(Platform.WINDOWS || Platform.BSD);
    private static final boolean MAC = Platform.MAC;

    /** The longest host name accepted, in UTF-8 bytes (RFC 1035). */
    public static final int MAX_HOST_LENGTH = 253;

    /** getaddrinfo flag: the address is meant for {@code bind} (with a null host, the wildcard). */
    public static final int AI_PASSIVE = 0x1;
    /** getaddrinfo flag: fill in {@link AddressInfo#canonicalName()} of the first result. */
    public static final int AI_CANONNAME = 0x2;
    /** getaddrinfo flag: the host must be a numeric address; no lookup is made. */
    public static final int AI_NUMERICHOST = 0x4;
    /** getaddrinfo flag: the service must be a port number. */
    public static final int AI_NUMERICSERV = LINUX_VALUES ? 0x400 : MAC ? 0x1000 : 0x8;
    /** getaddrinfo flag: with an IPv6 family, return IPv4-mapped addresses when there are no IPv6 ones. */
    public static final int AI_V4MAPPED = LINUX_VALUES ? 0x8 : 0x800;
    /** getaddrinfo flag: with {@link #AI_V4MAPPED}, return both IPv6 and IPv4-mapped addresses. */
    public static final int AI_ALL = LINUX_VALUES ? 0x10 : 0x100;
    /** getaddrinfo flag: return only families the host has a configured address for. */
    public static final int AI_ADDRCONFIG = LINUX_VALUES ? 0x20 : 0x400;

    /** getnameinfo flag: return the numeric address instead of a name. */
    public static final int NI_NUMERICHOST = LINUX_VALUES ? 1 : 2;
    /** getnameinfo flag: return the port number instead of a service name. */
    public static final int NI_NUMERICSERV = LINUX_VALUES ? 2 : 8;
    /** getnameinfo flag: return only the host part of a local name. */
    public static final int NI_NOFQDN = LINUX_VALUES ? 4 : 1;
    /** getnameinfo flag: fail when the address has no name. */
    public static final int NI_NAMEREQD = LINUX_VALUES ? 8 : 4;
    /** getnameinfo flag: look the service up as a datagram (UDP) service. */
    public static final int NI_DGRAM = 16;

    /** Socket type hint: stream sockets (TCP). */
    public static final int SOCK_STREAM = 1;
    /** Socket type hint: datagram sockets (UDP). */
    public static final int SOCK_DGRAM = 2;
    /** Socket type hint: raw sockets. */
    public static final int SOCK_RAW = 3;
    /** Protocol hint: TCP. */
    public static final int IPPROTO_TCP = 6;
    /** Protocol hint: UDP. */
    public static final int IPPROTO_UDP = 17;

    /** Receives the addresses found (null on error) and the error (null on success). */
    @FunctionalInterface
    public interface AddrinfoCallback {
        /**
         * Runs once on the loop thread when the lookup has finished.
         *
         * @param addresses the addresses found, null on error
         * @param error null on success
         */
        void call(List<AddressInfo> addresses, UvException error);
    }

    /** Receives the host and service names (null on error) and the error (null on success). */
    @FunctionalInterface
    public interface NameinfoCallback {
        /**
         * Runs once on the loop thread when the lookup has finished.
         *
         * @param host the host name found, null on error
         * @param service the service name found, null on error
         * @param error null on success
         */
        void call(String host, String service, UvException error);
    }

    /**
     * The host and service names {@link #getnameinfo(InetSocketAddress, int)} and
     * {@link #getnameinfoAsync} found.
     *
     * @param host the host name (or the numeric address, as the flags ask)
     * @param service the service name (or the port number)
     */
    public record NameInfo(String host, String service) {}

    /**
     * Resolves {@code host} and {@code service} without hints; see
     * {@link #getaddrinfo(Loop, String, String, ProtocolFamily, int, int, int, AddrinfoCallback)}.
     *
     * @param loop the loop whose thread runs the callback
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @param callback receives the addresses or the error
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     */
    public static Request getaddrinfo(Loop loop, String host, String service, AddrinfoCallback callback) {
        return getaddrinfo(loop, host, service, null, 0, 0, 0, callback);
    }

    /**
     * Resolves {@code host} and {@code service} on juv's pool; the callback runs once on
     * the loop thread with the addresses or the error ({@code EAI_NONAME} for an unknown name;
     * {@code ECANCELED} when the returned request was cancelled).
     * Wraps uv_getaddrinfo.
     *
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}, or
     *     null for either
     * @param socktype 0 or a socket type such as {@link #SOCK_STREAM}
     * @param protocol 0 or a protocol such as {@link #IPPROTO_TCP}
     * @param flags {@code AI_*} flags combined with {@code |}
     * @param loop the loop whose thread runs the callback
     * @param callback receives the addresses or the error
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     * @throws IllegalArgumentException for a host over {@value #MAX_HOST_LENGTH} bytes, a NUL in a
     *     string, a numeric service outside 0..65535, or a family other than INET and INET6
     * @throws UvException when libuv refuses the request (EINVAL for null host and service)
     */
    public static Request getaddrinfo(Loop loop, String host, String service, ProtocolFamily family,
            int socktype, int protocol, int flags, AddrinfoCallback callback) {
        Objects.requireNonNull(callback, "callback");
        return addrinfo(loop, host, service, family, socktype, protocol, flags).apply(callback);
    }

    /**
     * {@link #getaddrinfo(Loop, String, String, AddrinfoCallback)} as a future, callable from any
     * thread.
     *
     * @param loop the loop whose thread completes the future
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @return a future of the addresses found, completed on the loop thread (exceptionally with
     *     the {@link UvException}); cancelling it cancels the lookup while it waits for a thread
     * @throws IllegalArgumentException for a host over {@value #MAX_HOST_LENGTH} bytes, a NUL in a
     *     string, or a numeric service outside 0..65535
     */
    public static CompletableFuture<List<AddressInfo>> getaddrinfoAsync(Loop loop, String host, String service) {
        return getaddrinfoAsync(loop, host, service, null, 0, 0, 0);
    }

    /**
     * {@link #getaddrinfo(Loop, String, String, ProtocolFamily, int, int, int, AddrinfoCallback)}
     * as a future, callable from any thread. The arguments are checked on the calling thread; the
     * lookup is issued on the loop thread.
     *
     * @param loop the loop whose thread completes the future
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}, or
     *     null for either
     * @param socktype 0 or a socket type such as {@link #SOCK_STREAM}
     * @param protocol 0 or a protocol such as {@link #IPPROTO_TCP}
     * @param flags {@code AI_*} flags combined with {@code |}
     * @return a future of the addresses found, completed on the loop thread (exceptionally with
     *     the {@link UvException}: {@code EAI_NONAME} for an unknown name, EINVAL for null host
     *     and service); cancelling it cancels the lookup while it waits for a thread
     * @throws IllegalArgumentException for a host over {@value #MAX_HOST_LENGTH} bytes, a NUL in a
     *     string, a numeric service outside 0..65535, or a family other than INET and INET6
     */
    public static CompletableFuture<List<AddressInfo>> getaddrinfoAsync(Loop loop, String host, String service,
            ProtocolFamily family, int socktype, int protocol, int flags) {
        Function<AddrinfoCallback, Request> issue = addrinfo(loop, host, service, family, socktype, protocol, flags);
        return LoopFuture.ofRequest(loop, f -> issue.apply(f::settle));
    }

    /** Checks the arguments of a lookup here, and returns what issues it with a callback. */
    private static Function<AddrinfoCallback, Request> addrinfo(Loop loop, String host, String service,
            ProtocolFamily family, int socktype, int protocol, int flags) {
        Objects.requireNonNull(loop, "loop");
        checkHost(host);
        checkService(service);
        int af = familyCode(family);
        return cb -> GetaddrinfoRequest.start(loop, host, service, af, socktype, protocol, flags, cb);
    }

    /**
     * Resolves {@code host} and {@code service} without hints and waits for the result; see
     * {@link #getaddrinfo(String, String, ProtocolFamily, int, int, int)}.
     *
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @return the addresses found, never empty
     */
    public static List<AddressInfo> getaddrinfo(String host, String service) {
        return getaddrinfo(host, service, null, 0, 0, 0);
    }

    /**
     * Resolves {@code host} and {@code service} and waits for the result; the parameters are those
     * of the asynchronous form. Wraps uv_getaddrinfo.
     *
     * @param host a name or numeric address, or null (then {@code service} is needed)
     * @param service a service name or port number, or null
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}, or
     *     null for either
     * @param socktype 0 or a socket type such as {@link #SOCK_STREAM}
     * @param protocol 0 or a protocol such as {@link #IPPROTO_TCP}
     * @param flags {@code AI_*} flags combined with {@code |}
     * @return the addresses found, never empty
     * @throws UvException when the lookup fails ({@code EAI_NONAME} for an unknown name)
     * @throws IllegalArgumentException as the asynchronous form
     */
    public static List<AddressInfo> getaddrinfo(String host, String service, ProtocolFamily family,
            int socktype, int protocol, int flags) {
        checkHost(host);
        checkService(service);
        return GetaddrinfoRequest.lookup(host, service, familyCode(family), socktype, protocol, flags);
    }

    /**
     * Looks up the host and service names of {@code address} on juv's pool; the callback
     * runs once on the loop thread. Wraps uv_getnameinfo.
     *
     * @param flags {@code NI_*} flags combined with {@code |}
     * @param loop the loop whose thread runs the callback
     * @param address the address and port to look up
     * @param callback receives the names or the error
     * @return the request, which {@link Request#cancel()} can cancel before it starts
     * @throws IllegalArgumentException for an unresolved address
     * @throws UvException when libuv refuses the request
     */
    public static Request getnameinfo(Loop loop, InetSocketAddress address, int flags, NameinfoCallback callback) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(callback, "callback");
        Sockaddr.check(address);
        return GetnameinfoRequest.start(loop, address, flags, callback);
    }

    /**
     * {@link #getnameinfo(Loop, InetSocketAddress, int, NameinfoCallback)} as a future, callable
     * from any thread. The address is checked on the calling thread; the lookup is issued on the
     * loop thread.
     *
     * @param loop the loop whose thread completes the future
     * @param address the address and port to look up
     * @param flags {@code NI_*} flags combined with {@code |}
     * @return a future of the host and service names, completed on the loop thread (exceptionally
     *     with the {@link UvException}); cancelling it cancels the lookup while it waits for a
     *     thread
     * @throws IllegalArgumentException for an unresolved address
     */
    public static CompletableFuture<NameInfo> getnameinfoAsync(Loop loop, InetSocketAddress address, int flags) {
        Objects.requireNonNull(loop, "loop");
        Sockaddr.check(address);
        return LoopFuture.ofRequest(loop, f -> GetnameinfoRequest.start(loop, address, flags,
                (host, service, error) -> f.settle(error == null ? new NameInfo(host, service) : null, error)));
    }

    /**
     * Looks up the host and service names of {@code address} and waits for them.
     * Wraps uv_getnameinfo.
     *
     * @param address the address and port to look up
     * @param flags {@code NI_*} flags combined with {@code |}
     * @return the host and service names
     * @throws UvException when the lookup fails
     * @throws IllegalArgumentException for an unresolved address
     */
    public static NameInfo getnameinfo(InetSocketAddress address, int flags) {
        Sockaddr.check(address);
        return GetnameinfoRequest.lookup(address, flags);
    }

    /** The CVE-2024-24806 guard: libuv before 1.48 truncated long names without saying so. */
    static void checkHost(String host) {
        if (host == null) {
            return;
        }
        checkNoNul(host, "host");
        int n = AddrinfoLayout.hostLength(host);
        if (n > MAX_HOST_LENGTH) {
            throw new IllegalArgumentException("host name is " + n + " bytes; at most " + MAX_HOST_LENGTH
                    + " are allowed");
        }
    }

    /**
     * A numeric service is a port: glibc reads it as an unsigned long and keeps the low 16 bits,
     * so "65536" would silently become port 0 and "-1" port 65535.
     */
    static void checkService(String service) {
        checkNoNul(service, "service");
        if (service == null) {
            return;
        }
        String s = service.strip();
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (s.length() == start) {
            return;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return; // a service name, looked up as such
            }
        }
        boolean inRange = start == 0 || s.charAt(0) == '+';
        if (inRange) {
            String digits = s.substring(start).replaceFirst("^0+(?=.)", "");
            inRange = digits.length() <= 5 && Integer.parseInt(digits) <= 65535;
        }
        if (!inRange) {
            throw new IllegalArgumentException("numeric service " + service + " is not a port in 0..65535");
        }
    }

    /** A NUL, or an unpaired surrogate (no UTF-8 form), is refused here rather than where it is queued. */
    private static void checkNoNul(String s, String what) {
        if (s != null && s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
        if (s != null) {
            dev.juv.internal.CBlock.utf8(s);
        }
    }

    private static int familyCode(ProtocolFamily family) {
        if (family == null) {
            return 0;
        }
        if (family == StandardProtocolFamily.INET) {
            return Sockaddr.AF_INET;
        }
        if (family == StandardProtocolFamily.INET6) {
            return Sockaddr.AF_INET6;
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }
}
