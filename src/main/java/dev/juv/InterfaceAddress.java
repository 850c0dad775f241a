package dev.juv;

import java.net.InetAddress;

/**
 * One address of a network interface ({@code uv_interface_address_t}).
 *
 * @param name the interface's name, such as {@code "eth0"} or {@code "lo"}
 * @param physicalAddress the interface's six-byte hardware (MAC) address, all zero when it has none
 * @param internal true for a loopback interface
 * @param address the address assigned to the interface
 * @param netmask the address's network mask
 */
public record InterfaceAddress(String name, byte[] physicalAddress, boolean internal, InetAddress address,
        InetAddress netmask) {}
