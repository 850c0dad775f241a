package dev.juv.examples;

import dev.juv.ChildProcess;
import dev.juv.Errno;
import dev.juv.Handle;
import dev.juv.HandleType;
import dev.juv.Loop;
import dev.juv.Pipe;
import dev.juv.ProcessOptions;
import dev.juv.Signal;
import dev.juv.Stdio;
import dev.juv.Stream;
import dev.juv.Tcp;
import dev.juv.Timer;
import dev.juv.UvException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP echo server spread over several processes, the way Node's cluster module does it: the
 * primary process owns the listening socket, accepts every connection and hands it to one of N
 * worker JVMs over an IPC pipe (libuv's handle passing), round robin; each worker echoes the
 * connections it was given on its own loop. Every process has its own descriptor limit, so the
 * cluster holds more connections than one process could.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.EchoCluster [workers] [port] [host]</pre>
 * The defaults are 2 workers, port 0 (a free one) and 127.0.0.1. Prints
 * {@code Listening on <host>:<port> (<N> workers)} once every worker is ready. SIGUSR1 prints
 * one {@code STATS accepted=<n> passed=<n> workers=<pid,pid,...>} line. SIGINT or SIGTERM
 * stop the workers and then the primary; the exit status is 0 when every worker ended cleanly.
 * The workers run with the primary's descriptor limit: raise it before starting
 * ({@code ulimit -n 20000}).
 */
public final class EchoCluster {
    private EchoCluster() {}

    /** The argument that makes this class run as a worker (its fd 0 is the IPC pipe). */
    static final String WORKER = "--worker";
    private static final byte[] READY = {'R'};
    private static final byte[] HANDLE_MARK = {'H'};
    private static final long WORKER_STOP_GRACE_MS = 10_000;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(WORKER)) {
            Worker.run();
            return;
        }
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        String host = args.length > 2 ? args[2] : "127.0.0.1";
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        System.exit(new Primary(workers, new InetSocketAddress(host, port)).run());
    }

    /** One worker as the primary sees it: its process and the IPC pipe to it. */
    private static final class WorkerRef {
        final Pipe channel;
        ChildProcess process;
        boolean ready;
        boolean alive = true;
        long exitStatus;
        int termSignal;

        WorkerRef(Pipe channel) {
            this.channel = channel;
        }
    }

    /** The primary: listening socket, worker processes, round-robin hand-off. */
    private static final class Primary {
        private final Loop loop = new Loop();
        private final int count;
        private final InetSocketAddress address;
        private final List<WorkerRef> workers = new ArrayList<>();
        private final Tcp server;
        private final List<Signal> signals = new ArrayList<>();
        private Timer killTimer;
        private int next;
        private int readyCount;
        private long accepted;
        private long passed;
        private boolean stopping;
        private boolean failed;

        Primary(int count, InetSocketAddress address) {
            this.count = count;
            this.address = address;
            this.server = new Tcp(loop);
        }

        int run() {
            try {
                server.bind(address);
                for (int i = 0; i < count; i++) {
                    spawnWorker();
                }
                watch(Signal.SIGINT, (s, signum) -> stop());
                watch(Signal.SIGTERM, (s, signum) -> stop());
                watch(Signal.SIGUSR1, (s, signum) -> printStats());
            } catch (RuntimeException e) {
                System.err.println("EchoCluster: " + e.getMessage());
                failed = true;
                stop();
            }
            loop.run();
            loop.close();
            for (WorkerRef w : workers) {
                if (w.exitStatus != 0 || w.termSignal != 0) {
                    failed = true;
                }
            }
            return failed ? 1 : 0;
        }

        private void watch(int signum, Signal.Callback callback) {
            Signal s = new Signal(loop);
            s.start(callback, signum);
            signals.add(s);
        }

        private void spawnWorker() {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> argv = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-XX:+UseSerialGC", "-Xmx512m"));
            String extra = System.getProperty("juv.cluster.workerJvmArgs", "").trim();
            if (!extra.isEmpty()) {
                argv.addAll(List.of(extra.split("\\s+")));
            }
            argv.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoCluster.class.getName(), WORKER));
            Pipe channel = new Pipe(loop, true);
            WorkerRef w = new WorkerRef(channel);
            workers.add(w);
            try {
                w.process = ChildProcess.spawn(loop, ProcessOptions.command(argv.toArray(String[]::new)).stdio(
                        Stdio.pipe(channel, Stdio.READABLE | Stdio.WRITABLE), Stdio.inherit(1), Stdio.inherit(2)),
                        (p, status, signal) -> onWorkerExit(w, status, signal));
            } catch (RuntimeException e) {
                w.alive = false;
                channel.close();
                throw e;
            }
            channel.startRead((c, data, error) -> {
                if (data == null) {
                    // the worker closed its end: it is ending, or gone
                    leave(w);
                    return;
                }
                if (!w.ready) {
                    w.ready = true;
                    if (++readyCount == count && !stopping) {
                        startListening();
                    }
                }
            });
        }

        private void startListening() {
            server.listen(4096, (s, error) -> {
                if (error != null) {
                    System.err.println("listen: " + error.getMessage());
                    return;
                }
                Tcp client = new Tcp(loop);
                try {
                    s.accept(client);
                } catch (UvException e) {
                    client.close();
                    return;
                }
                accepted++;
                handOff(client);
            });
            InetSocketAddress at = server.localAddress();
            System.out.println("Listening on " + at.getAddress().getHostAddress() + ":" + at.getPort()
                    + " (" + count + " workers)");
            System.out.flush();
        }

        /** Sends the connection to the next live worker; the primary's copy closes once it is sent. */
        private void handOff(Tcp client) {
            for (int tries = 0; tries < workers.size(); tries++) {
                WorkerRef w = workers.get(next++ % workers.size());
                if (!w.alive || !w.ready || w.channel.isClosing()) {
                    continue;
                }
                try {
                    w.channel.write(HANDLE_MARK, client, (c, error) -> {
                        if (error == null) {
                            passed++;
                        }
                        client.close();
                    });
                    return;
                } catch (UvException e) {
                    leave(w);
                }
            }
            client.close();
        }

        /** A worker's pipe ended or failed: no more connections go to it. */
        private void leave(WorkerRef w) {
            if (!w.channel.isClosing()) {
                w.channel.close();
            }
            if (!stopping) {
                System.err.println("EchoCluster: worker " + (w.process == null ? "?" : w.process.pid())
                        + " left");
                failed = true;
                boolean anyLeft = false;
                for (WorkerRef o : workers) {
                    anyLeft |= !o.channel.isClosing();
                }
                if (!anyLeft) {
                    stop();
                }
            }
        }

        private void onWorkerExit(WorkerRef w, long status, int signal) {
            w.alive = false;
            w.exitStatus = status;
            w.termSignal = signal;
            w.process.close();
            if (!w.channel.isClosing()) {
                w.channel.close();
            }
            if (!stopping && (status != 0 || signal != 0)) {
                System.err.println("EchoCluster: worker " + w.process.pid() + " exited with " + status
                        + (signal != 0 ? " (signal " + signal + ")" : ""));
            }
            boolean anyAlive = false;
            for (WorkerRef o : workers) {
                anyAlive |= o.alive;
            }
            if (!anyAlive) {
                if (killTimer != null) {
                    killTimer.close();
                }
                if (!stopping) {
                    failed = true;
                    stop();
                }
            }
        }

        /** Stops accepting, closes every IPC pipe (each worker ends on EOF), and kills stragglers. */
        private void stop() {
            if (stopping) {
                return;
            }
            stopping = true;
            server.close();
            for (Signal s : signals) {
                s.close();
            }
            boolean anyAlive = false;
            for (WorkerRef w : workers) {
                if (!w.channel.isClosing()) {
                    w.channel.close();
                }
                anyAlive |= w.alive;
            }
            if (anyAlive) {
                killTimer = new Timer(loop);
                killTimer.start(t -> {
                    t.close();
                    for (WorkerRef w : workers) {
                        if (w.alive && w.process != null) {
                            w.process.kill(Signal.SIGKILL);
                        }
                    }
                }, WORKER_STOP_GRACE_MS, 0);
                killTimer.unref();
            }
        }

        private void printStats() {
            StringBuilder pids = new StringBuilder();
            for (WorkerRef w : workers) {
                if (w.alive && w.process != null) {
                    pids.append(pids.isEmpty() ? "" : ",").append(w.process.pid());
                }
            }
            System.out.println("STATS accepted=" + accepted + " passed=" + passed + " workers=" + pids);
            System.out.flush();
        }
    }

    /** A worker: takes the connections that arrive on fd 0 and echoes them until the pipe ends. */
    static final class Worker {
        private Worker() {}

        static void run() {
            Loop loop = new Loop();
            Pipe channel = new Pipe(loop, true);
            channel.open(0);
            Runnable shutdown = () -> {
                for (Handle h : loop.handles()) {
                    if (!h.isClosing()) {
                        h.close();
                    }
                }
            };
            channel.startRead((c, data, error) -> {
                if (data == null) {
                    shutdown.run();
                    return;
                }
                while (channel.pendingCount() > 0) {
                    if (channel.pendingType() != HandleType.TCP) {
                        System.err.println("EchoCluster worker: unexpected " + channel.pendingType());
                        shutdown.run();
                        return;
                    }
                    Tcp client = new Tcp(loop);
                    channel.accept(client);
                    client.setNoDelay(true);
                    client.startRead(Worker::echo);
                }
            });
            // a Ctrl+C reaches the whole process group: the primary decides, the worker ends on EOF
            Signal sigint = new Signal(loop);
            sigint.start((s, signum) -> { }, Signal.SIGINT);
            sigint.unref();
            channel.write(READY);
            loop.run();
            loop.close();
        }

        private static void echo(Stream<?> s, ByteBuffer data, UvException error) {
            if (data == null) {
                s.close();
                return;
            }
            int n;
            try {
                n = s.tryWrite(data);
            } catch (UvException e) {
                if (e.code() != Errno.EAGAIN) {
                    s.close();
                    return;
                }
                n = 0;
            }
            if (n < data.remaining()) {
                // queued: the stream copies what is left of the loop's read buffer
                s.write(data.position(data.position() + n));
            }
        }
    }
}
