package dev.juv.internal;

import dev.juv.CpuInfo;
import dev.juv.InterfaceAddress;
import dev.juv.ResourceUsage;
import dev.juv.Uname;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The public system structs of uv.h, read into juv's records by field name:
 * {@code uv_cpu_info_t}, {@code uv_interface_address_t}, {@code uv_rusage_t} and
 * {@code uv_utsname_t}. The libuv call that fills each (with its error check) is passed in.
 */
public final class SysLayouts {
    private SysLayouts() {}

    /** {@code struct uv_cpu_times_s}: five uint64 counters in milliseconds. */
    private static final StructLayout CPU_TIMES = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("user"), ValueLayout.JAVA_LONG.withName("nice"),
            ValueLayout.JAVA_LONG.withName("sys"), ValueLayout.JAVA_LONG.withName("idle"),
            ValueLayout.JAVA_LONG.withName("irq"));

    /** {@code uv_cpu_info_t}: {@code char* model; int speed; struct uv_cpu_times_s cpu_times}. */
    public static final StructLayout UV_CPU_INFO = CStructs.padded(
            ValueLayout.JAVA_LONG.withName("model"), ValueLayout.JAVA_INT.withName("speed"),
            CPU_TIMES.withName("cpu_times"));
    private static final CStructs.Field CPU_MODEL = CStructs.field(UV_CPU_INFO, "model");
    private static final CStructs.Field CPU_SPEED = CStructs.field(UV_CPU_INFO, "speed");
    private static final CStructs.Field CPU_USER = CStructs.field(UV_CPU_INFO, "cpu_times", "user");
    private static final CStructs.Field CPU_NICE = CStructs.field(UV_CPU_INFO, "cpu_times", "nice");
    private static final CStructs.Field CPU_SYS = CStructs.field(UV_CPU_INFO, "cpu_times", "sys");
    private static final CStructs.Field CPU_IDLE = CStructs.field(UV_CPU_INFO, "cpu_times", "idle");
    private static final CStructs.Field CPU_IRQ = CStructs.field(UV_CPU_INFO, "cpu_times", "irq");

    /** The {@code sockaddr_in}/{@code sockaddr_in6} union: 28 bytes, 4-aligned. */
    private static final MemoryLayout SOCKADDR_UNION =
            MemoryLayout.sequenceLayout(28, ValueLayout.JAVA_BYTE).withByteAlignment(4);

    /**
     * {@code uv_interface_address_t}: {@code char* name; char phys_addr[6]; int is_internal;}
     * then the address and netmask unions.
     */
    public static final StructLayout UV_INTERFACE_ADDRESS = CStructs.padded(
            ValueLayout.JAVA_LONG.withName("name"),
            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_BYTE).withName("phys_addr"),
            ValueLayout.JAVA_INT.withName("is_internal"),
            SOCKADDR_UNION.withName("address"), SOCKADDR_UNION.withName("netmask"));
    private static final CStructs.Field IF_NAME = CStructs.field(UV_INTERFACE_ADDRESS, "name");
    private static final CStructs.Field IF_PHYS = CStructs.field(UV_INTERFACE_ADDRESS, "phys_addr");
    private static final CStructs.Field IF_INTERNAL = CStructs.field(UV_INTERFACE_ADDRESS, "is_internal");
    private static final CStructs.Field IF_ADDRESS = CStructs.field(UV_INTERFACE_ADDRESS, "address");
    private static final CStructs.Field IF_NETMASK = CStructs.field(UV_INTERFACE_ADDRESS, "netmask");

    /** {@code uv_timeval_t}: two C {@code long}s (32-bit on Windows). */
    private static final StructLayout UV_TIMEVAL = Platform.WINDOWS
            ? MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("tv_sec"), ValueLayout.JAVA_INT.withName("tv_usec"))
            : MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_usec"));

    private static final String[] RUSAGE_COUNTERS = {"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt",
        "ru_majflt", "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw",
        "ru_nivcsw"};

    /** {@code uv_rusage_t}: two timevals, then fourteen uint64 counters. */
    public static final StructLayout UV_RUSAGE = rusageLayout();
    private static final CStructs.Field RU_UTIME_SEC = CStructs.field(UV_RUSAGE, "ru_utime", "tv_sec");
    private static final CStructs.Field RU_UTIME_USEC = CStructs.field(UV_RUSAGE, "ru_utime", "tv_usec");
    private static final CStructs.Field RU_STIME_SEC = CStructs.field(UV_RUSAGE, "ru_stime", "tv_sec");
    private static final CStructs.Field RU_STIME_USEC = CStructs.field(UV_RUSAGE, "ru_stime", "tv_usec");
    private static final CStructs.Field[] RU_COUNTERS = new CStructs.Field[RUSAGE_COUNTERS.length];

    static {
        for (int i = 0; i < RU_COUNTERS.length; i++) {
            RU_COUNTERS[i] = CStructs.field(UV_RUSAGE, RUSAGE_COUNTERS[i]);
        }
    }

    private static StructLayout rusageLayout() {
        MemoryLayout[] fields = new MemoryLayout[2 + RUSAGE_COUNTERS.length];
        fields[0] = UV_TIMEVAL.withName("ru_utime");
        fields[1] = UV_TIMEVAL.withName("ru_stime");
        for (int i = 0; i < RUSAGE_COUNTERS.length; i++) {
            fields[2 + i] = ValueLayout.JAVA_LONG.withName(RUSAGE_COUNTERS[i]);
        }
        return CStructs.padded(fields);
    }

    /** {@code uv_utsname_t}: four {@code char[256]}. */
    public static final StructLayout UV_UTSNAME = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("sysname"),
            MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("release"),
            MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("version"),
            MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("machine"));

    /**
     * Every CPU: {@code call} is uv_cpu_info with its check; the array is freed with
     * uv_free_cpu_info.
     */
    public static List<CpuInfo> cpuInfo(Scratch.Fill2 call) {
        return Scratch.readArray(call, (arr, n) -> {
            List<CpuInfo> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long e = arr + i * UV_CPU_INFO.byteSize();
                out.add(new CpuInfo(Native.string(CPU_MODEL.get(e)), CPU_SPEED.getInt(e), CPU_USER.get(e),
                        CPU_NICE.get(e), CPU_SYS.get(e), CPU_IDLE.get(e), CPU_IRQ.get(e)));
            }
            LibUv.uv_free_cpu_info(arr, n);
            return out;
        });
    }

    /**
     * Every address of every interface: {@code call} is uv_interface_addresses with its check;
     * the array is freed with uv_free_interface_addresses.
     */
    public static List<InterfaceAddress> interfaceAddresses(Scratch.Fill2 call) {
        return Scratch.readArray(call, (arr, n) -> {
            List<InterfaceAddress> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long e = arr + i * UV_INTERFACE_ADDRESS.byteSize();
                InetSocketAddress a = Sockaddr.read(IF_ADDRESS.at(e));
                InetSocketAddress m = Sockaddr.read(IF_NETMASK.at(e));
                out.add(new InterfaceAddress(Native.string(IF_NAME.get(e)), Native.bytes(IF_PHYS.at(e), 6),
                        IF_INTERNAL.getInt(e) != 0, a == null ? null : a.getAddress(),
                        m == null ? null : m.getAddress()));
            }
            LibUv.uv_free_interface_addresses(arr, n);
            return out;
        });
    }

    /** The resource usage {@code call} (uv_getrusage with its check) fills in. */
    public static ResourceUsage rusage(Scratch.Fill call) {
        long p = Native.calloc(UV_RUSAGE.byteSize());
        try {
            call.into(p);
            long[] v = new long[RU_COUNTERS.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = RU_COUNTERS[i].get(p);
            }
            return new ResourceUsage(RU_UTIME_SEC.get(p) * 1_000_000 + RU_UTIME_USEC.get(p),
                    RU_STIME_SEC.get(p) * 1_000_000 + RU_STIME_USEC.get(p), v[0], v[1], v[2], v[3], v[4], v[5],
                    v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
        } finally {
            Native.free(p);
        }
    }

    /** The names {@code call} (uv_os_uname with its check) fills in. */
    public static Uname uname(Scratch.Fill call) {
        long p = Native.calloc(UV_UTSNAME.byteSize());
        try {
            call.into(p);
            return new Uname(Native.string(p + offset("sysname")), Native.string(p + offset("release")),
                    Native.string(p + offset("version")), Native.string(p + offset("machine")));
        } finally {
            Native.free(p);
        }
    }

    private static long offset(String field) {
        return CStructs.offset(UV_UTSNAME, field);
    }
}
