package dev.juv.support;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Argument sources for parameterized tests. */
public final class Matrix {
    private Matrix() {}

    /** Every pair (a, b), a varying slowest. */
    public static Stream<Arguments> pairs(Object[] as, Object[] bs) {
        List<Arguments> out = new ArrayList<>();
        for (Object a : as) {
            for (Object b : bs) {
                out.add(Arguments.of(a, b));
            }
        }
        return out.stream();
    }
}
