package dev.juv;

import dev.juv.internal.Errors;

/**
 * A libuv error: {@link #code()} is libuv's negative code, {@link #name()} its name such as
 * {@code "ECONNREFUSED"}, and the message reads {@code operation: ENAME: text}.
 */
public class UvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The negative libuv error code. */
    private final int code;
    /** The error's name, such as {@code "ENOENT"}, from {@code uv_err_name}. */
    private final String name;
    /** The libuv operation that failed, with its path or address when it has one. */
    private final String operation;

    /**
     * An error for {@code code} raised by {@code operation} (for example
     * {@code "uv_tcp_bind 127.0.0.1:80"}).
     *
     * @param code the negative libuv error code
     * @param operation the libuv call that failed, with its path or address when it has one
     */
    public UvException(int code, String operation) {
        this(code, operation, true);
    }

    private UvException(int code, String operation, boolean stackTrace) {
        super(operation + ": " + Errors.name(code) + ": " + Errors.message(code), null, false, stackTrace);
        this.code = code;
        this.name = Errors.name(code);
        this.operation = operation;
    }

    /** An error delivered to a callback: no stack trace, whose only frames would be the upcall. */
    static UvException async(int code, String operation) {
        return new UvException(code, operation, false);
    }

    /**
     * "Try again" from a {@code try} call ({@code uv_try_write}): a caller that echoes or streams
     * meets it on every read while writes are queued and catches it at once, so it is made
     * without a stack trace (filling one in cost more than the rest of such a read's work).
     */
    static UvException wouldBlock(String operation) {
        return new UvException(Errno.EAGAIN, operation, false);
    }

    /** Returns {@code result} when it is not negative, else throws. */
    static int check(int result, String operation) {
        if (result < 0) {
            throw new UvException(result, operation);
        }
        return result;
    }

    static long check(long result, String operation) {
        if (result < 0) {
            throw new UvException((int) result, operation);
        }
        return result;
    }

    /**
     * The negative libuv error code.
     *
     * @return the negative error code, to compare with the {@link Errno} constants
     */
    public int code() {
        return code;
    }

    /**
     * The error's name, such as {@code "ENOENT"}.
     *
     * @return libuv's name for the code
     */
    public String name() {
        return name;
    }

    /**
     * The libuv operation that failed, with its path or address when it has one.
     *
     * @return the operation, such as {@code "uv_fs_open /no/such/file"}
     */
    public String operation() {
        return operation;
    }
}
