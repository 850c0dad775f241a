package dev.juv;

import dev.juv.internal.Errors;
import java.util.Map;

/**
 * libuv's error codes, read from the loaded libuv at start-up (their values differ between
 * platforms). A code the platform does not have is 0.
 */
public final class Errno {
    private Errno() {}

    /** {@code UV_E2BIG}: argument list too long. */
    public static final int E2BIG = Errors.code("E2BIG");
    /** {@code UV_EACCES}: permission denied. */
    public static final int EACCES = Errors.code("EACCES");
    /** {@code UV_EADDRINUSE}: address already in use. */
    public static final int EADDRINUSE = Errors.code("EADDRINUSE");
    /** {@code UV_EADDRNOTAVAIL}: address not available. */
    public static final int EADDRNOTAVAIL = Errors.code("EADDRNOTAVAIL");
    /** {@code UV_EAFNOSUPPORT}: address family not supported. */
    public static final int EAFNOSUPPORT = Errors.code("EAFNOSUPPORT");
    /** {@code UV_EAGAIN}: resource temporarily unavailable. */
    public static final int EAGAIN = Errors.code("EAGAIN");
    /** {@code UV_EAI_ADDRFAMILY}: address family not supported. */
    public static final int EAI_ADDRFAMILY = Errors.code("EAI_ADDRFAMILY");
    /** {@code UV_EAI_AGAIN}: temporary failure. */
    public static final int EAI_AGAIN = Errors.code("EAI_AGAIN");
    /** {@code UV_EAI_BADFLAGS}: bad ai_flags value. */
    public static final int EAI_BADFLAGS = Errors.code("EAI_BADFLAGS");
    /** {@code UV_EAI_CANCELED}: request canceled. */
    public static final int EAI_CANCELED = Errors.code("EAI_CANCELED");
    /** {@code UV_EAI_FAIL}: permanent failure. */
    public static final int EAI_FAIL = Errors.code("EAI_FAIL");
    /** {@code UV_EAI_FAMILY}: ai_family not supported. */
    public static final int EAI_FAMILY = Errors.code("EAI_FAMILY");
    /** {@code UV_EAI_MEMORY}: out of memory. */
    public static final int EAI_MEMORY = Errors.code("EAI_MEMORY");
    /** {@code UV_EAI_NODATA}: no address. */
    public static final int EAI_NODATA = Errors.code("EAI_NODATA");
    /** {@code UV_EAI_NONAME}: unknown node or service. */
    public static final int EAI_NONAME = Errors.code("EAI_NONAME");
    /** {@code UV_EAI_SERVICE}: service not available for socket type. */
    public static final int EAI_SERVICE = Errors.code("EAI_SERVICE");
    /** {@code UV_EAI_SOCKTYPE}: socket type not supported. */
    public static final int EAI_SOCKTYPE = Errors.code("EAI_SOCKTYPE");
    /** {@code UV_EALREADY}: connection already in progress. */
    public static final int EALREADY = Errors.code("EALREADY");
    /** {@code UV_EBADF}: bad file descriptor. */
    public static final int EBADF = Errors.code("EBADF");
    /** {@code UV_EBUSY}: resource busy or locked. */
    public static final int EBUSY = Errors.code("EBUSY");
    /** {@code UV_ECANCELED}: operation canceled. */
    public static final int ECANCELED = Errors.code("ECANCELED");
    /** {@code UV_ECONNABORTED}: software caused connection abort. */
    public static final int ECONNABORTED = Errors.code("ECONNABORTED");
    /** {@code UV_ECONNREFUSED}: connection refused. */
    public static final int ECONNREFUSED = Errors.code("ECONNREFUSED");
    /** {@code UV_ECONNRESET}: connection reset by peer. */
    public static final int ECONNRESET = Errors.code("ECONNRESET");
    /** {@code UV_EEXIST}: file already exists. */
    public static final int EEXIST = Errors.code("EEXIST");
    /** {@code UV_EFAULT}: bad address in system call argument. */
    public static final int EFAULT = Errors.code("EFAULT");
    /** {@code UV_EFBIG}: file too large. */
    public static final int EFBIG = Errors.code("EFBIG");
    /** {@code UV_EHOSTUNREACH}: host is unreachable. */
    public static final int EHOSTUNREACH = Errors.code("EHOSTUNREACH");
    /** {@code UV_EINTR}: interrupted system call. */
    public static final int EINTR = Errors.code("EINTR");
    /** {@code UV_EINVAL}: invalid argument. */
    public static final int EINVAL = Errors.code("EINVAL");
    /** {@code UV_EIO}: i/o error. */
    public static final int EIO = Errors.code("EIO");
    /** {@code UV_EISCONN}: socket is already connected. */
    public static final int EISCONN = Errors.code("EISCONN");
    /** {@code UV_EISDIR}: illegal operation on a directory. */
    public static final int EISDIR = Errors.code("EISDIR");
    /** {@code UV_ELOOP}: too many symbolic links encountered. */
    public static final int ELOOP = Errors.code("ELOOP");
    /** {@code UV_EMFILE}: too many open files. */
    public static final int EMFILE = Errors.code("EMFILE");
    /** {@code UV_EMSGSIZE}: message too long. */
    public static final int EMSGSIZE = Errors.code("EMSGSIZE");
    /** {@code UV_ENAMETOOLONG}: name too long. */
    public static final int ENAMETOOLONG = Errors.code("ENAMETOOLONG");
    /** {@code UV_ENETDOWN}: network is down. */
    public static final int ENETDOWN = Errors.code("ENETDOWN");
    /** {@code UV_ENETUNREACH}: network is unreachable. */
    public static final int ENETUNREACH = Errors.code("ENETUNREACH");
    /** {@code UV_ENFILE}: file table overflow. */
    public static final int ENFILE = Errors.code("ENFILE");
    /** {@code UV_ENOBUFS}: no buffer space available. */
    public static final int ENOBUFS = Errors.code("ENOBUFS");
    /** {@code UV_ENODEV}: no such device. */
    public static final int ENODEV = Errors.code("ENODEV");
    /** {@code UV_ENOENT}: no such file or directory. */
    public static final int ENOENT = Errors.code("ENOENT");
    /** {@code UV_ENOMEM}: not enough memory. */
    public static final int ENOMEM = Errors.code("ENOMEM");
    /** {@code UV_ENOSPC}: no space left on device. */
    public static final int ENOSPC = Errors.code("ENOSPC");
    /** {@code UV_ENOSYS}: function not implemented. */
    public static final int ENOSYS = Errors.code("ENOSYS");
    /** {@code UV_ENOTCONN}: socket is not connected. */
    public static final int ENOTCONN = Errors.code("ENOTCONN");
    /** {@code UV_ENOTDIR}: not a directory. */
    public static final int ENOTDIR = Errors.code("ENOTDIR");
    /** {@code UV_ENOTEMPTY}: directory not empty. */
    public static final int ENOTEMPTY = Errors.code("ENOTEMPTY");
    /** {@code UV_ENOTSOCK}: socket operation on non-socket. */
    public static final int ENOTSOCK = Errors.code("ENOTSOCK");
    /** {@code UV_ENOTSUP}: operation not supported on socket. */
    public static final int ENOTSUP = Errors.code("ENOTSUP");
    /** {@code UV_EOVERFLOW}: value too large for defined data type. */
    public static final int EOVERFLOW = Errors.code("EOVERFLOW");
    /** {@code UV_EPERM}: operation not permitted. */
    public static final int EPERM = Errors.code("EPERM");
    /** {@code UV_EPIPE}: broken pipe. */
    public static final int EPIPE = Errors.code("EPIPE");
    /** {@code UV_EPROTO}: protocol error. */
    public static final int EPROTO = Errors.code("EPROTO");
    /** {@code UV_EPROTONOSUPPORT}: protocol not supported. */
    public static final int EPROTONOSUPPORT = Errors.code("EPROTONOSUPPORT");
    /** {@code UV_EPROTOTYPE}: protocol wrong type for socket. */
    public static final int EPROTOTYPE = Errors.code("EPROTOTYPE");
    /** {@code UV_ERANGE}: result too large. */
    public static final int ERANGE = Errors.code("ERANGE");
    /** {@code UV_EROFS}: read-only file system. */
    public static final int EROFS = Errors.code("EROFS");
    /** {@code UV_ESHUTDOWN}: cannot send after transport endpoint shutdown. */
    public static final int ESHUTDOWN = Errors.code("ESHUTDOWN");
    /** {@code UV_ESPIPE}: invalid seek. */
    public static final int ESPIPE = Errors.code("ESPIPE");
    /** {@code UV_ESRCH}: no such process. */
    public static final int ESRCH = Errors.code("ESRCH");
    /** {@code UV_ETIMEDOUT}: connection timed out. */
    public static final int ETIMEDOUT = Errors.code("ETIMEDOUT");
    /** {@code UV_ETXTBSY}: text file is busy. */
    public static final int ETXTBSY = Errors.code("ETXTBSY");
    /** {@code UV_EXDEV}: cross-device link not permitted. */
    public static final int EXDEV = Errors.code("EXDEV");
    /** {@code UV_UNKNOWN}: unknown error. */
    public static final int UNKNOWN = Errors.code("UNKNOWN");
    /** {@code UV_EOF}: end of file. */
    public static final int EOF = Errors.code("EOF");
    /** {@code UV_ENXIO}: no such device or address. */
    public static final int ENXIO = Errors.code("ENXIO");
    /** {@code UV_EMLINK}: too many links. */
    public static final int EMLINK = Errors.code("EMLINK");
    /** {@code UV_ENOTTY}: inappropriate ioctl for device. */
    public static final int ENOTTY = Errors.code("ENOTTY");
    /** {@code UV_EFTYPE}: inappropriate file type or format. */
    public static final int EFTYPE = Errors.code("EFTYPE");
    /** {@code UV_EILSEQ}: illegal byte sequence. */
    public static final int EILSEQ = Errors.code("EILSEQ");

    /**
     * The name of a code, such as {@code "ENOENT"}. Wraps uv_err_name_r.
     *
     * @param code a negative libuv error code
     * @return the name, or a text naming an unknown code
     */
    public static String name(int code) {
        return Errors.name(code);
    }

    /**
     * The message of a code. Wraps uv_strerror_r.
     *
     * @param code a negative libuv error code
     * @return libuv's message for the code, such as {@code "no such file or directory"}
     */
    public static String strerror(int code) {
        return Errors.message(code);
    }

    /**
     * The code of a name, or 0 when the loaded libuv has no such error.
     *
     * @param name an error's name, such as {@code "ENOENT"}
     * @return the negative code, or 0
     */
    public static int code(String name) {
        return Errors.code(name);
    }

    /**
     * Every name the loaded libuv knows, with its code.
     *
     * @return an unmodifiable map from name to code
     */
    public static Map<String, Integer> all() {
        return Errors.all();
    }
}
