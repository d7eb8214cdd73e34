package condition

import "testing"

func TestIPOperators(t *testing.T) {
	t.Parallel()
	src := func(ip string) map[string][]string { return map[string][]string{"aws:sourceip": {ip}} }
	runEvalCases(t, []evalCase{
		{name: "IpAddress inside IPv4 range", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("203.0.113.77"), want: true},
		{name: "IpAddress outside IPv4 range", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("203.0.114.1"), want: false},
		{name: "IpAddress bare address means /32", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.7"}, ctx: src("203.0.113.7"), want: true},
		{name: "IpAddress bare address is not a range", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.7"}, ctx: src("203.0.113.8"), want: false},
		{name: "IpAddress host bits in CIDR are ignored", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.7/24"}, ctx: src("203.0.113.200"), want: true},
		{name: "IpAddress IPv6 range", op: "IpAddress", key: "aws:SourceIp", values: []string{"2001:DB8:1234:5678::/64"}, ctx: src("2001:db8:1234:5678::1"), want: true},
		{name: "IpAddress IPv6 outside range", op: "IpAddress", key: "aws:SourceIp", values: []string{"2001:DB8:1234:5678::/64"}, ctx: src("2001:db8:1234:5679::1"), want: false},
		{name: "IpAddress mixed IPv4 and IPv6 list", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24", "2001:DB8:1234:5678::/64"}, ctx: src("2001:db8:1234:5678::abcd"), want: true},
		{name: "IpAddress IPv4 address never in IPv6 range", op: "IpAddress", key: "aws:SourceIp", values: []string{"::/0"}, ctx: src("203.0.113.7"), want: false},
		{name: "IpAddress IPv4-mapped IPv6 request compared as IPv4", op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("::ffff:203.0.113.9"), want: true},
		{name: "IpAddress zero prefix matches all IPv4", op: "IpAddress", key: "aws:SourceIp", values: []string{"0.0.0.0/0"}, ctx: src("198.51.100.1"), want: true},
		{name: "IpAddress missing key (VPC endpoint request) is false", op: "IpAddress", key: "aws:SourceIp", values: []string{"0.0.0.0/0"}, ctx: nil, want: false},
		{name: "IpAddress invalid request address", op: "IpAddress", key: "aws:SourceIp", values: []string{"0.0.0.0/0"}, ctx: src("not-an-ip"), want: false},
		{name: "IpAddress invalid policy value never matches", op: "IpAddress", key: "aws:SourceIp", values: []string{"300.1.1.1/8"}, ctx: src("10.0.0.1"), want: false},
		{name: "NotIpAddress outside range", op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("198.51.100.1"), want: true},
		{name: "NotIpAddress inside range", op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("203.0.113.1"), want: false},
		{name: "NotIpAddress must be outside every range", op: "NotIpAddress", key: "aws:SourceIp", values: []string{"10.0.0.0/8", "203.0.113.0/24"}, ctx: src("203.0.113.1"), want: false},
		{name: "NotIpAddress missing key is true", op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: nil, want: true},
		{name: "NotIpAddress invalid request address is not satisfied", op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: src("bogus"), want: false},
		{name: "IpAddressIfExists missing key", op: "IpAddressIfExists", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: nil, want: true},
		{name: "IpAddress no variables", op: "IpAddress", key: "aws:SourceIp", values: []string{"${test:net}"}, ctx: map[string][]string{"aws:sourceip": {"10.0.0.1"}, "test:net": {"10.0.0.0/8"}}, want: false},
	})
}
