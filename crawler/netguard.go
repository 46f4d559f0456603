package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrPrivateAddress is wrapped by the errors of requests refused because
// their address is loopback, private, link-local, unspecified or shared
// (CGNAT) and Config.AllowPrivate is not set.
var ErrPrivateAddress = errors.New("private address refused")

// blockedPrefixes are the ranges IsPrivateAddr refuses beyond those the net
// package classifies itself.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),          // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),      // shared address space (CGNAT), and cloud metadata such as 100.100.100.200
	netip.MustParsePrefix("192.0.0.0/24"),       // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),       // documentation (TEST-NET-1)
	netip.MustParsePrefix("198.18.0.0/15"),      // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),    // documentation (TEST-NET-2)
	netip.MustParsePrefix("203.0.113.0/24"),     // documentation (TEST-NET-3)
	netip.MustParsePrefix("224.0.0.0/4"),        // multicast
	netip.MustParsePrefix("240.0.0.0/4"),        // reserved, and limited broadcast
	netip.MustParsePrefix("::/96"),              // IPv4-compatible (deprecated), which may hide an IPv4 address
	netip.MustParsePrefix("100::/64"),           // discard-only
	netip.MustParsePrefix("2001::/32"),          // Teredo, which tunnels to IPv4 addresses
	netip.MustParsePrefix("2001:db8::/32"),      // documentation
	netip.MustParsePrefix("fec0::/10"),          // deprecated IPv6 site-local
	netip.MustParsePrefix("ff00::/8"),           // multicast
	netip.MustParsePrefix("fd00:ec2::254/128"),  // cloud metadata over IPv6 (also inside fc00::/7)
	netip.MustParsePrefix("169.254.169.254/32"), // cloud metadata (also inside link-local)
}

// embeddedIPv4 returns the IPv4 address that an IPv6 translation address
// carries: NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16).
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() || a.Is4In6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case netip.MustParsePrefix("64:ff9b::/96").Contains(a), netip.MustParsePrefix("64:ff9b:1::/48").Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case netip.MustParsePrefix("2002::/16").Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// IsPrivateAddr reports whether ip is an address a public web crawler must
// not connect to: loopback, private (RFC 1918, fc00::/7), link-local,
// unspecified, shared (100.64.0.0/10), "this network" (0.0.0.0/8),
// documentation, benchmarking, multicast, reserved or broadcast, and cloud
// metadata addresses. IPv4-mapped IPv6 addresses are judged by their IPv4
// address, and NAT64 and 6to4 addresses by the IPv4 address they carry. A
// nil ip is not an address and reports false.
func IsPrivateAddr(ip net.IP) bool {
	if ip == nil {
		return false
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	return isPrivate(addr.Unmap(), 0)
}

// isPrivate is IsPrivateAddr on an unmapped netip.Addr; depth stops the
// recursion through embedded addresses.
func isPrivate(addr netip.Addr, depth int) bool {
	addr = addr.WithZone("")
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsUnspecified() || addr.IsMulticast() ||
		addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	if v4, ok := embeddedIPv4(addr); ok && depth == 0 {
		return isPrivate(v4, depth+1)
	}
	return false
}

// refusedError returns the error for a refused address.
func refusedError(addr string) error {
	return fmt.Errorf("%w: %s (set AllowPrivate to crawl it)", ErrPrivateAddress, addr)
}

// literalPrivate returns a refusal error when hostname is a literal IP
// address that IsPrivateAddr refuses, and nil otherwise.
func literalPrivate(hostname string) error {
	ip := net.ParseIP(strings.Trim(hostname, "[]"))
	if ip != nil && IsPrivateAddr(ip) {
		return refusedError(hostname)
	}
	return nil
}

// dialControl is a net.Dialer Control function that refuses connections to
// private addresses. It runs after name resolution, for every address tried.
func dialControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot parse dial address %q", ErrPrivateAddress, address)
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // IPv6 zone
	}
	ip := net.ParseIP(host)
	if ip == nil || IsPrivateAddr(ip) {
		return refusedError(host)
	}
	return nil
}
