package dev.juv;

import dev.juv.internal.Errors;
import java.util.Map;

/**
 * libuv's error codes, read from the loaded libuv at start-up (their values differ between
 * platforms). A code the platform does not have is 0.
 */
public final class Errno {
    private Errno() {}

    public static final int E2BIG = Errors.code("E2BIG");
    public static final int EACCES = Errors.code("EACCES");
    public static final int EADDRINUSE = Errors.code("EADDRINUSE");
    public static final int EADDRNOTAVAIL = Errors.code("EADDRNOTAVAIL");
    public static final int EAFNOSUPPORT = Errors.code("EAFNOSUPPORT");
    public static final int EAGAIN = Errors.code("EAGAIN");
    public static final int EAI_ADDRFAMILY = Errors.code("EAI_ADDRFAMILY");
    public static final int EAI_AGAIN = Errors.code("EAI_AGAIN");
    public static final int EAI_BADFLAGS = Errors.code("EAI_BADFLAGS");
    public static final int EAI_CANCELED = Errors.code("EAI_CANCELED");
    public static final int EAI_FAIL = Errors.code("EAI_FAIL");
    public static final int EAI_FAMILY = Errors.code("EAI_FAMILY");
    public static final int EAI_MEMORY = Errors.code("EAI_MEMORY");
    public static final int EAI_NODATA = Errors.code("EAI_NODATA");
    public static final int EAI_NONAME = Errors.code("EAI_NONAME");
    public static final int EAI_SERVICE = Errors.code("EAI_SERVICE");
    public static final int EAI_SOCKTYPE = Errors.code("EAI_SOCKTYPE");
    public static final int EALREADY = Errors.code("EALREADY");
    public static final int EBADF = Errors.code("EBADF");
    public static final int EBUSY = Errors.code("EBUSY");
    public static final int ECANCELED = Errors.code("ECANCELED");
    public static final int ECONNABORTED = Errors.code("ECONNABORTED");
    public static final int ECONNREFUSED = Errors.code("ECONNREFUSED");
    public static final int ECONNRESET = Errors.code("ECONNRESET");
    public static final int EEXIST = Errors.code("EEXIST");
    public static final int EFAULT = Errors.code("EFAULT");
    public static final int EFBIG = Errors.code("EFBIG");
    public static final int EHOSTUNREACH = Errors.code("EHOSTUNREACH");
    public static final int EINTR = Errors.code("EINTR");
    public static final int EINVAL = Errors.code("EINVAL");
    public static final int EIO = Errors.code("EIO");
    public static final int EISCONN = Errors.code("EISCONN");
    public static final int EISDIR = Errors.code("EISDIR");
    public static final int ELOOP = Errors.code("ELOOP");
    public static final int EMFILE = Errors.code("EMFILE");
    public static final int EMSGSIZE = Errors.code("EMSGSIZE");
    public static final int ENAMETOOLONG = Errors.code("ENAMETOOLONG");
    public static final int ENETDOWN = Errors.code("ENETDOWN");
    public static final int ENETUNREACH = Errors.code("ENETUNREACH");
    public static final int ENFILE = Errors.code("ENFILE");
    public static final int ENOBUFS = Errors.code("ENOBUFS");
    public static final int ENODEV = Errors.code("ENODEV");
    public static final int ENOENT = Errors.code("ENOENT");
    public static final int ENOMEM = Errors.code("ENOMEM");
    public static final int ENOSPC = Errors.code("ENOSPC");
    public static final int ENOSYS = Errors.code("ENOSYS");
    public static final int ENOTCONN = Errors.code("ENOTCONN");
    public static final int ENOTDIR = Errors.code("ENOTDIR");
    public static final int ENOTEMPTY = Errors.code("ENOTEMPTY");
    public static final int ENOTSOCK = Errors.code("ENOTSOCK");
    public static final int ENOTSUP = Errors.code("ENOTSUP");
    public static final int EOVERFLOW = Errors.code("EOVERFLOW");
    public static final int EPERM = Errors.code("EPERM");
    public static final int EPIPE = Errors.code("EPIPE");
    public static final int EPROTO = Errors.code("EPROTO");
    public static final int EPROTONOSUPPORT = Errors.code("EPROTONOSUPPORT");
    public static final int EPROTOTYPE = Errors.code("EPROTOTYPE");
    public static final int ERANGE = Errors.code("ERANGE");
    public static final int EROFS = Errors.code("EROFS");
    public static final int ESHUTDOWN = Errors.code("ESHUTDOWN");
    public static final int ESPIPE = Errors.code("ESPIPE");
    public static final int ESRCH = Errors.code("ESRCH");
    public static final int ETIMEDOUT = Errors.code("ETIMEDOUT");
    public static final int ETXTBSY = Errors.code("ETXTBSY");
    public static final int EXDEV = Errors.code("EXDEV");
    public static final int UNKNOWN = Errors.code("UNKNOWN");
    public static final int EOF = Errors.code("EOF");
    public static final int ENXIO = Errors.code("ENXIO");
    public static final int EMLINK = Errors.code("EMLINK");
    public static final int ENOTTY = Errors.code("ENOTTY");
    public static final int EFTYPE = Errors.code("EFTYPE");
    public static final int EILSEQ = Errors.code("EILSEQ");

    /** The name of a code, such as {@code "ENOENT"}. Wraps uv_err_name_r. */
    public static String name(int code) {
        return Errors.name(code);
    }

    /** The message of a code. Wraps uv_strerror_r. */
    public static String strerror(int code) {
        return Errors.message(code);
    }

    /** The code of a name, or 0 when the loaded libuv has no such error. */
    public static int code(String name) {
        return Errors.code(name);
    }

    /** Every name the loaded libuv knows, with its code. */
    public static Map<String, Integer> all() {
        return Errors.all();
    }
}
