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
	netip.MustParsePrefix("100.64.0.0/10"),      // shared address space (CGNAT)
	netip.MustParsePrefix("255.255.255.255/32"), // limited broadcast
	netip.MustParsePrefix("fec0::/10"),          // deprecated IPv6 site-local
}

// IsPrivateAddr reports whether ip is an address a public web crawler must
// not connect to: loopback, private (RFC 1918, fc00::/7), link-local,
// unspecified, shared (100.64.0.0/10), "this network" (0.0.0.0/8) or
// broadcast. IPv4-mapped IPv6 addresses are judged by their IPv4 address.
// A nil ip is not an address and reports false.
func IsPrivateAddr(ip net.IP) bool {
	if ip == nil {
		return false
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	addr = addr.Unmap()
	for _, p := range blockedPrefixes {
		if p.Contains(addr) {
			return true
		}
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
