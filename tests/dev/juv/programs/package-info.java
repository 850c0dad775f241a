/**
 * Main programs that a test starts in a JVM of its own (through {@link dev.juv.support.Child} or
 * a {@code ProcessBuilder}): the child side of IPC tests, signal dispositions that only a fresh
 * JVM can show, {@code System.exit} with work pending, glibc's heap figures without the test
 * JVM's noise. They are not tests; each documents its arguments and what it prints.
 */
package dev.juv.programs;
