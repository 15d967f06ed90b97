package services

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Policy says where one workspace's webhooks may go. The zero value is the safe default:
// public addresses only, nothing blocked by name.
type Policy struct {
	// AllowPrivate lifts the private-address refusal entirely, for single-tenant installs
	// whose flows call services on their own network.
	AllowPrivate bool
	// AllowedNets are address ranges exempt from the refusal (e.g. one intranet subnet).
	AllowedNets []netip.Prefix
	// AllowedHosts are host names whose addresses, whatever they resolve to, are never
	// refused; a name matches itself and its subdomains.
	AllowedHosts []string
	// BlockedDomains are refused by name, including subdomains, before any lookup: mailroom's
	// MAILROOM_WEBHOOKS_BLOCKED_DOMAINS, for APIs (messaging providers) flows must not call
	// directly.
	BlockedDomains []string
}

// refusedNets are the ranges mailroom's DisallowedNetworks covers (loopback, RFC 1918,
// link-local, CGNAT, 0.0.0.0/8, ULA) plus the other ranges that can never be a public web
// server: multicast, the reserved 240/4 (incl. broadcast) and IPv4-compatible IPv6.
var refusedNets = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"), // ::, ::1 and the deprecated IPv4-compatible form
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

// nat64 is the well-known NAT64 prefix: a gateway would forward 64:ff9b::a.b.c.d to a.b.c.d,
// so the embedded IPv4 address is what must be checked.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// allowsAddr reports whether a resolved address may be dialled.
func (p *Policy) allowsAddr(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if p.AllowPrivate {
		return true
	}
	for _, n := range p.AllowedNets {
		if n.Contains(a) {
			return true
		}
	}
	if nat64.Contains(a) {
		b := a.As16()
		return p.allowsAddr(netip.AddrFrom4([4]byte(b[12:])))
	}
	for _, n := range refusedNets {
		if n.Contains(a) {
			return false
		}
	}
	return true
}

// allowsHost reports whether a host name is exempt from the address check.
func (p *Policy) allowsHost(host string) bool {
	return matchesDomain(host, p.AllowedHosts)
}

// blocksHost reports whether a URL's host is refused by name.
func (p *Policy) blocksHost(host string) bool {
	return matchesDomain(host, p.BlockedDomains)
}

// matchesDomain matches a host against domains and their subdomains, ignoring case and the
// trailing dot of a fully qualified name (which resolves the same, so must not slip past).
func matchesDomain(host string, domains []string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range domains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

// refusedError is returned by the dialer for an address the policy refuses.
type refusedError struct{ addr string }

func (e *refusedError) Error() string { return fmt.Sprintf("address %s is not allowed", e.addr) }

// errBlockedDomain stops a redirect to a blocked domain.
var errBlockedDomain = errors.New("domain is blocked")

// isRefused reports whether a client error came from the policy rather than the network.
func isRefused(err error) bool {
	var re *refusedError
	return errors.As(err, &re) || errors.Is(err, errBlockedDomain)
}

// dialContext checks every address at connect time, after resolution, so a name whose DNS
// answer changes between a check and the connection (rebinding) gains nothing, and every
// redirect hop is checked too. Control runs after the socket is made but before connect, so
// a refused address is never contacted. A host none of whose addresses is allowed is refused
// before any socket is made (flows naming an internal host fail fast, without a socket per
// address per call); otherwise the name is dialled as usual, keeping the dialer's fallback
// between address families.
func (p *Policy) dialContext() func(ctx context.Context, network, addr string) (net.Conn, error) {
	plain := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	checked := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !p.allowsAddr(ap.Addr()) {
				return &refusedError{addr: address}
			}
			return nil
		}}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if p.allowsHost(host) {
			return plain.DialContext(ctx, network, addr)
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if ips, err = net.DefaultResolver.LookupNetIP(ctx, ipNetwork(network), host); err != nil {
			return nil, err
		}
		for _, ip := range ips {
			if p.allowsAddr(ip) {
				return checked.DialContext(ctx, network, addr)
			}
		}
		if len(ips) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
		return nil, &refusedError{addr: net.JoinHostPort(ips[0].Unmap().String(), port)}
	}
}

// ipNetwork is the resolver's network for a dial network: "tcp4" resolves IPv4 only, and so on.
func ipNetwork(network string) string {
	switch network {
	case "tcp4", "udp4":
		return "ip4"
	case "tcp6", "udp6":
		return "ip6"
	}
	return "ip"
}

// key identifies the parts of a policy that decide what a connection may reach. Pooled
// connections are keyed by host and port only, so workspaces with different allow-lists must
// not share a pool: one's permitted intranet connection would serve the other's request.
func (p *Policy) key() string {
	nets := make([]string, len(p.AllowedNets))
	for i, n := range p.AllowedNets {
		nets[i] = n.Masked().String()
	}
	hosts := make([]string, len(p.AllowedHosts))
	for i, h := range p.AllowedHosts {
		hosts[i] = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	}
	slices.Sort(nets)
	slices.Sort(hosts)
	return fmt.Sprintf("%t|%s|%s", p.AllowPrivate, strings.Join(nets, ","), strings.Join(hosts, ","))
}

// transports holds one transport per distinct policy key; almost every workspace uses the
// default policy, so in practice there are very few.
var transports sync.Map // key → *http.Transport

// transport returns the shared transport for this policy.
func (p *Policy) transport() *http.Transport {
	k := p.key()
	if t, ok := transports.Load(k); ok {
		return t.(*http.Transport)
	}
	cp := Policy{AllowPrivate: p.AllowPrivate, AllowedNets: slices.Clone(p.AllowedNets), AllowedHosts: slices.Clone(p.AllowedHosts)}
	t := &http.Transport{
		// No proxy: through one, the dial-time check would only ever see the proxy's address.
		Proxy:                 nil,
		DialContext:           cp.dialContext(),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          32,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	actual, _ := transports.LoadOrStore(k, t)
	return actual.(*http.Transport)
}
