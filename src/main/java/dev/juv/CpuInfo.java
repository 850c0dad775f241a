package dev.juv;

/**
 * One CPU, as {@code uv_cpu_info_t} describes it: model, speed in MHz, and the milliseconds
 * spent in user, nice, system, idle and interrupt mode.
 */
public record CpuInfo(String model, int speed, long user, long nice, long sys, long idle, long irq) {}
