package dev.juv.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The platform's signal numbers by name, read from the JDK's own table: {@code sun.misc.Signal}
 * of the jdk.unsupported module. The class is reached through method handles rather than named
 * in the source, because javac's "internal proprietary API" warning about it cannot be suppressed
 * before JDK 26, and juv's build fails on a warning. Loads nothing native.
 */
public final class SignalNumbers {
    private SignalNumbers() {}

    /** {@code new sun.misc.Signal(String)}, typed {@code (String)Object}. */
    private static final MethodHandle NEW;
    /** {@code sun.misc.Signal.getNumber()}, typed {@code (Object)int}. */
    private static final MethodHandle GET_NUMBER;

    static {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            NEW = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Object.class, String.class));
            GET_NUMBER = lookup.findVirtual(signal, "getNumber", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The number of the signal named {@code name} without "SIG" (such as "INT"), or -1 where the platform has none. */
    public static int of(String name) {
        try {
            return (int) GET_NUMBER.invokeExact((Object) NEW.invokeExact(name));
        } catch (IllegalArgumentException unknown) {
            return -1;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sun.misc.Signal(" + name + ")", t);
        }
    }
}
