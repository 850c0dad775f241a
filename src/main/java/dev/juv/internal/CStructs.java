package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/** Builds C struct layouts with the padding a C compiler would insert. */
final class CStructs {
    private CStructs() {}

    static final boolean WINDOWS = Platform.WINDOWS;
    /** macOS and the BSDs share the netdb layout and flag values. */
    static final boolean BSD = Platform.BSD;

    /**
     * A struct of {@code fields} in order, each aligned to its natural alignment, with trailing
     * padding up to the largest alignment, exactly as C lays it out.
     */
    static StructLayout padded(MemoryLayout... fields) {
        List<MemoryLayout> out = new ArrayList<>();
        long offset = 0;
        long maxAlign = 1;
        int pad = 0;
        for (MemoryLayout f : fields) {
            long align = f.byteAlignment();
            maxAlign = Math.max(maxAlign, align);
            long gap = (align - offset % align) % align;
            if (gap > 0) {
                out.add(MemoryLayout.paddingLayout(gap).withName("pad" + pad++));
                offset += gap;
            }
            out.add(f);
            offset += f.byteSize();
        }
        long tail = (maxAlign - offset % maxAlign) % maxAlign;
        if (tail > 0) {
            out.add(MemoryLayout.paddingLayout(tail).withName("pad" + pad));
        }
        return MemoryLayout.structLayout(out.toArray(MemoryLayout[]::new));
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
