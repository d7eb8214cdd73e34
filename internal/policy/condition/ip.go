package condition

import (
	"net/netip"
	"strings"
)

// IP address condition operators ("IAM JSON policy elements: Condition
// operators", IP address condition operators): IpAddress and NotIpAddress
// compare a key to IPv4 or IPv6 addresses or CIDR ranges. "If you specify an
// IP address without the associated routing prefix, IAM uses the default
// prefix value of /32" (/128 for IPv6). Policy variables are not supported.
//
// Host bits set in a CIDR (203.0.113.7/24) are ignored. An IPv4-mapped IPv6
// request address (::ffff:203.0.113.7) is compared as IPv4. A request value
// that is not an IP address satisfies neither operator.

type ipMatcher struct {
	prefixes []netip.Prefix
}

func newIPMatcher(cc *Compiler, _ string, values []string) *Cond {
	c, m := newCond(&cc.ips)
	m.prefixes = make([]netip.Prefix, 0, len(values))
	for _, v := range values {
		if p, ok := parsePrefix(v); ok {
			m.prefixes = append(m.prefixes, p)
		}
	}
	return c
}

func (m *ipMatcher) match(_ *Context, v string) (ok, hit bool) {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return false, false
	}
	a = a.WithZone("").Unmap()
	for _, p := range m.prefixes {
		if p.Contains(a) {
			return true, true
		}
	}
	return true, false
}

func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}
