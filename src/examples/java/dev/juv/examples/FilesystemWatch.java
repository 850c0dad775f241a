package dev.juv.examples;

import dev.juv.Errno;
import dev.juv.FsEvent;
import dev.juv.Loop;
import dev.juv.Signal;
import dev.juv.UvException;
import java.nio.file.Path;

/**
 * Watches a path with an {@link FsEvent} and prints every change until Ctrl+C.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.juv.examples.FilesystemWatch [-p PATH | --path PATH]</pre>
 * The path defaults to the current directory. Prints {@code Watching path <absolute path>} once
 * it is ready, then {@code file: <name>, events: rename, change} lines. Exits 0 on SIGINT, and 2
 * with {@code error: <message>} when the path cannot be watched.
 */
public final class FilesystemWatch {
    private FilesystemWatch() {}

    public static void main(String[] args) {
        String path = ".";
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-p") || args[i].equals("--path")) && i + 1 < args.length) {
                path = args[++i];
            } else {
                System.err.println("usage: FilesystemWatch [-p PATH | --path PATH]");
                System.exit(64);
            }
        }
        Loop loop = new Loop();
        FsEvent watcher = new FsEvent(loop);
        try {
            watcher.start(path, 0, FilesystemWatch::onEvent);
        } catch (UvException e) {
            System.out.println("error: " + e.getMessage());
            System.out.flush();
            watcher.close();
            loop.run();
            loop.close();
            System.exit(2);
            return;
        }
        // only the signal handle keeps the loop running
        watcher.unref();
        Signal sigint = new Signal(loop);
        sigint.start((s, signum) -> {
            s.close();
            watcher.close();
        }, Signal.SIGINT);
        System.out.println("Watching path " + Path.of(path).toAbsolutePath().normalize());
        System.out.flush();
        loop.run();
        loop.close();
    }

    private static void onEvent(FsEvent handle, String filename, int events, UvException error) {
        if (error != null) {
            System.out.println("file: " + filename + ", error " + error.name() + ": " + Errno.strerror(error.code()));
        } else {
            StringBuilder list = new StringBuilder();
            if ((events & FsEvent.RENAME) != 0) {
                list.append("rename");
            }
            if ((events & FsEvent.CHANGE) != 0) {
                list.append(list.isEmpty() ? "" : ", ").append("change");
            }
            System.out.println("file: " + filename + ", events: " + list);
        }
        System.out.flush();
    }
}
