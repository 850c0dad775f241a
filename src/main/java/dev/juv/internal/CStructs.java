package dev.juv.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/** Builds C struct layouts with the padding a C compiler would insert. */
final class CStructs {
    private CStructs() {}

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

    /** The integer or pointer field at {@code path} (names of nested members) of {@code layout}. */
    static Field field(StructLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return new Field(layout.byteOffset(elements), layout.select(elements).byteSize());
    }

    /** A field of a struct found by name: its offset and width (1, 4 or 8 bytes). */
    record Field(long offset, long width) {
        /** The field of the struct at {@code struct}, widened to a long (sign-extended). */
        long get(long struct) {
            long at = struct + offset;
            if (width == 8) {
                return Native.getLong(at);
            }
            if (width == 4) {
                return Native.getInt(at);
            }
            return Native.ALL.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at);
        }

        /** The field read as an {@code int}. */
        int getInt(long struct) {
            return (int) get(struct);
        }

        /** The address of the field of the struct at {@code struct} (for an embedded array or union). */
        long at(long struct) {
            return struct + offset;
        }
    }
}
