package dev.juv.programs;

import dev.juv.Handle;
import dev.juv.HandleType;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.Tcp;
import dev.juv.support.Child;
import java.nio.charset.StandardCharsets;

/**
 * Child side of IpcTest's round-trip tests (pyuv's proc_ipc_echo.py). fd 0 is an IPC pipe to the
 * parent. Reads until a handle arrives, checks that it is a pipe, TCP or UDP handle, accepts it
 * into a new handle of that type and sends it back with ".". The write's callback closes both,
 * and the process exits 0 (3 when what arrived was not a handle it can pass).
 */
public final class ProcIpcEcho {
    private ProcIpcEcho() {}

    public static void main(String[] args) throws Exception {
        int[] status = {0};
        try (Loop loop = new Loop()) {
            Pipe channel = new Pipe(loop, true);
            channel.open(0);
            channel.startRead((s, data, error) -> {
                if (data == null) {
                    channel.close();
                    return;
                }
                if (channel.pendingCount() == 0) {
                    return;
                }
                HandleType type = channel.pendingType();
                Handle received = create(loop, type);
                if (received == null) {
                    status[0] = 3;
                    channel.close();
                    return;
                }
                channel.accept(received);
                channel.stopRead();
                channel.write(".".getBytes(StandardCharsets.UTF_8), received, (c, e) -> {
                    received.close();
                    channel.close();
                });
            });
            loop.run();
        }
        System.exit(status[0]);
    }

    /** A fresh handle of the pending type, or null when that type cannot be passed. */
    public static Handle create(Loop loop, HandleType type) {
        switch (type) {
            case NAMED_PIPE:
                return new Pipe(loop);
            case TCP:
                return new Tcp(loop);
            case UDP:
                // Udp is looked up by name so that this helper builds where Udp is not present
                try {
                    return (Handle) Class.forName("dev.juv.Udp").getConstructor(Loop.class).newInstance(loop);
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            default:
                return null;
        }
    }
}
