package dev.juv;

import java.net.InetAddress;

/** One address of a network interface ({@code uv_interface_address_t}). */
public record InterfaceAddress(String name, byte[] physicalAddress, boolean internal, InetAddress address,
        InetAddress netmask) {}
