/** A program that uses juv from the module path. */
module consumer {
    requires dev.juv;
}
