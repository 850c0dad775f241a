package dev.juv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juv.support.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LoopOptions: its defaults, its checks, and each option seen at work: the read buffer size in
 * the sizes reads arrive in, idle-time metrics and the blocked signal through uv_loop_configure,
 * the options of started loops and groups.
 */
@Timeout(60)
class LoopOptionsTest extends UvTestCase {
    static {
        TcpTest.freePort();
    }

    @Test
    void defaultsAreDocumented() {
        LoopOptions d = LoopOptions.defaults();
        assertFalse(d.idleTimeMetrics());
        assertEquals(0, d.blockedSignal());
        assertEquals(64 * 1024, d.readBufferSize());
        assertEquals(Duration.ofSeconds(2), d.blockedThreshold());
        assertEquals(d, loop.options());
    }

    @Test
    void withMethodsReturnNewOptionsAndLeaveTheOldOnesAlone() {
        LoopOptions d = LoopOptions.defaults();
        LoopOptions o = d.withIdleTimeMetrics(true).withReadBufferSize(4096)
                .withBlockedThreshold(Duration.ofMillis(50)).withBlockedSignal(Signal.SIGPROF);
        assertNotSame(d, o);
        assertEquals(new LoopOptions(true, Signal.SIGPROF, 4096, Duration.ofMillis(50)), o);
        assertEquals(64 * 1024, d.readBufferSize());
        assertEquals(Duration.ZERO, d.withBlockedThreshold(Duration.ZERO).blockedThreshold());
    }

    @Test
    void badArgumentsAreRefusedAtOnce() {
        LoopOptions d = LoopOptions.defaults();
        for (int s : new int[] {Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGFPE, Signal.SIGILL, Signal.SIGQUIT,
                Signal.SIGUSR2, Signal.SIGKILL, Signal.SIGSTOP, -1, 128, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> d.withBlockedSignal(s), "signal " + s);
        }
        for (int n : new int[] {-1, 0, 1023, LoopOptions.MAX_READ_BUFFER_SIZE + 1, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> d.withReadBufferSize(n), "size " + n);
        }
        assertThrows(IllegalArgumentException.class, () -> d.withBlockedThreshold(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withBlockedThreshold(Duration.ofNanos(999_999)));
        assertThrows(NullPointerException.class, () -> d.withBlockedThreshold(null));
        assertThrows(NullPointerException.class, () -> new Loop((LoopOptions) null));
        assertThrows(NullPointerException.class, () -> Loop.start("x", null));
        assertThrows(NullPointerException.class, () -> LoopGroup.start(1, "x", null));
    }

    @Test
    void readsArriveInPiecesNoLargerThanTheConfiguredBuffer() {
        for (int size : new int[] {1024, 4096, 256 * 1024}) {
            try (Loop l = new Loop(LoopOptions.defaults().withReadBufferSize(size))) {
                assertEquals(size, l.options().readBufferSize());
                Tcp[] p = ReadBufferTest.tcpPair(l);
                byte[] data = new byte[1 << 20];
                new Random(size).nextBytes(data);
                List<Integer> sizes = new ArrayList<>();
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                p[1].startRead((s, d, e) -> {
                    if (d == null) {
                        s.close();
                        return;
                    }
                    sizes.add(d.remaining());
                    byte[] b = new byte[d.remaining()];
                    d.get(b);
                    got.writeBytes(b);
                });
                p[0].write(data);
                p[0].shutdown((s, e) -> s.close());
                l.run();
                assertEquals(data.length, got.size());
                assertTrue(java.util.Arrays.equals(data, got.toByteArray()), "bytes differ at size " + size);
                int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
                assertTrue(max <= size, "a read of " + max + " bytes with a buffer of " + size);
                if (size < 64 * 1024) {
                    // 1 MiB through a buffer this small fills it at least once
                    assertEquals(size, max, "largest read with a buffer of " + size);
                }
            }
        }
    }

    @Test
    void datagramsLongerThanTheBufferArriveTruncated() {
        try (Loop l = new Loop(LoopOptions.defaults().withReadBufferSize(1024))) {
            Udp rx = new Udp(l);
            rx.bind(TcpTest.any4());
            Udp tx = new Udp(l);
            int[] got = {-1};
            int[] flags = {0};
            rx.startRecv((u, from, d, f, e) -> {
                if (d != null && d.remaining() > 0) {
                    got[0] = d.remaining();
                    flags[0] = f;
                    u.close();
                    tx.close();
                }
            });
            tx.send(rx.localAddress(), new byte[3000]);
            l.run();
            assertEquals(1024, got[0]);
            assertTrue((flags[0] & Udp.PARTIAL) != 0, "flags " + flags[0]);
        }
    }

    @Test
    void idleTimeMetricsAndTheBlockedSignalReachLibuv() {
        try (Loop l = new Loop(LoopOptions.defaults().withIdleTimeMetrics(true).withBlockedSignal(Signal.SIGPROF))) {
            Timer t = new Timer(l);
            t.start(tt -> tt.close(), 30, 0);
            l.run();
            // the loop waited about 30 ms in its poll, and libuv counted it
            long idleNs = dev.juv.internal.LibUv.uv_metrics_idle_time(l.ptr);
            assertTrue(idleNs >= 10_000_000L, "idle " + idleNs + " ns");
        }
    }

    @Test
    void aBlockedSignalLibuvDoesNotSupportIsItsError() {
        UvException e = assertThrows(UvException.class,
                () -> new Loop(LoopOptions.defaults().withBlockedSignal(Signal.SIGUSR1)));
        assertEquals(Errno.EINVAL, e.code());
    }

    @Test
    @Tag(Tags.THREADS)
    void startedLoopsAndGroupsKeepTheirOptions() throws Exception {
        LoopOptions o = LoopOptions.defaults().withReadBufferSize(8192).withBlockedThreshold(Duration.ZERO);
        try (Loop l = Loop.start("options-test", o)) {
            assertEquals(o, l.options());
            assertEquals(8192, (int) l.submit(() -> l.readBufferSize).get());
        }
        try (LoopGroup g = LoopGroup.start(2, "options-group", o)) {
            for (Loop l : g.loops()) {
                assertEquals(o, l.options());
            }
        }
    }
}
