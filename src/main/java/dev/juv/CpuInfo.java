package dev.juv;

/**
 * One CPU, as {@code uv_cpu_info_t} describes it: model, speed in MHz, and the milliseconds
 * spent in user, nice, system, idle and interrupt mode.
 *
 * @param model the CPU's model name
 * @param speed the clock speed in MHz
 * @param user milliseconds spent in user mode
 * @param nice milliseconds spent in user mode at low priority (nice)
 * @param sys milliseconds spent in system mode
 * @param idle milliseconds spent idle
 * @param irq milliseconds spent servicing interrupts
 */
public record CpuInfo(String model, int speed, long user, long nice, long sys, long idle, long irq) {}
