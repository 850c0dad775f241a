/**
 * What the tests share and that is not a test itself: the libc calls juv does not offer
 * ({@link dev.juv.support.TestLibc}), a pseudo-terminal, child JVMs ({@link dev.juv.support.Child},
 * the example runners), the cleanup gate, stand-in arguments and small assertions. The base class
 * of the loop tests, {@code dev.juv.UvTestCase}, stays in package {@code dev.juv} beside the
 * tests that extend it, since it reads package-private state of the library.
 */
package dev.juv.support;
