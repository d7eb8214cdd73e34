package condition

import "testing"

func TestDateOperators(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "DateEquals same instant", op: "DateEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateEquals across time zones", op: "DateEquals", values: []string{"2020-01-01T01:00:00+01:00"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateEquals epoch against ISO", op: "DateEquals", values: []string{"1577836800"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateEquals date only is midnight UTC", op: "DateEquals", values: []string{"2020-01-01"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateEquals fractional seconds", op: "DateEquals", values: []string{"2020-01-01T00:00:00.5Z"}, ctx: v("1577836800.5"), want: true},
		{name: "DateEquals basic format", op: "DateEquals", values: []string{"20200101T000000Z"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateEquals different", op: "DateEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("2020-01-01T00:00:01Z"), want: false},
		{name: "DateEquals invalid request date", op: "DateEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("yesterday"), want: false},
		{name: "DateEquals invalid day", op: "DateEquals", values: []string{"2021-02-29"}, ctx: v("2021-03-01"), want: false},
		{name: "DateEquals no wildcards", op: "DateEquals", values: []string{"2020-*"}, ctx: v("2020-01-01"), want: false},
		{name: "DateNotEquals different", op: "DateNotEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("2021-01-01T00:00:00Z"), want: true},
		{name: "DateNotEquals same", op: "DateNotEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("1577836800"), want: false},
		{name: "DateNotEquals missing key is true", op: "DateNotEquals", values: []string{"2020-01-01T00:00:00Z"}, ctx: nil, want: true},
		{name: "DateLessThan before", op: "DateLessThan", key: "aws:CurrentTime", values: []string{"2020-06-30T00:00:00Z"}, ctx: map[string][]string{"aws:currenttime": {"2020-06-29T23:59:59Z"}}, want: true},
		{name: "DateLessThan equal", op: "DateLessThan", values: []string{"2020-06-30T00:00:00Z"}, ctx: v("2020-06-30T00:00:00Z"), want: false},
		{name: "DateLessThanEquals equal", op: "DateLessThanEquals", values: []string{"2020-06-30T00:00:00Z"}, ctx: v("2020-06-30T00:00:00Z"), want: true},
		{name: "DateLessThanEquals after", op: "DateLessThanEquals", values: []string{"2020-06-30T00:00:00Z"}, ctx: v("2020-06-30T00:00:00.001Z"), want: false},
		{name: "DateGreaterThan token issued in 2020", op: "DateGreaterThan", key: "aws:TokenIssueTime", values: []string{"2020-01-01T00:00:01Z"}, ctx: map[string][]string{"aws:tokenissuetime": {"2020-05-01T00:00:00Z"}}, want: true},
		{name: "DateGreaterThan missing TokenIssueTime is false", op: "DateGreaterThan", key: "aws:TokenIssueTime", values: []string{"2020-01-01T00:00:01Z"}, ctx: nil, want: false},
		{name: "DateGreaterThan epoch", op: "DateGreaterThan", key: "aws:EpochTime", values: []string{"1557079200"}, ctx: map[string][]string{"aws:epochtime": {"1557079201"}}, want: true},
		{name: "DateGreaterThanEquals equal", op: "DateGreaterThanEquals", values: []string{"2020-01-01"}, ctx: v("2020-01-01T00:00:00Z"), want: true},
		{name: "DateGreaterThanEquals before", op: "DateGreaterThanEquals", values: []string{"2020-01-01"}, ctx: v("2019-12-31T23:59:59Z"), want: false},
		{name: "DateGreaterThan negative offset", op: "DateGreaterThan", values: []string{"2020-01-01T00:00:00Z"}, ctx: v("2019-12-31T20:00:00-05:00"), want: true},
		{name: "DateLessThan minutes precision form", op: "DateLessThan", values: []string{"2020-01-01T10:30Z"}, ctx: v("2020-01-01T10:29:59Z"), want: true},
		{name: "DateLessThan year-month form", op: "DateLessThan", values: []string{"2020-02"}, ctx: v("2020-01-31T23:59:59Z"), want: true},
		{name: "DateGreaterThanIfExists missing key", op: "DateGreaterThanIfExists", values: []string{"2020-01-01"}, ctx: nil, want: true},
	})
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		ok   bool
		unix int64
	}{
		{"2020-01-01T00:00:00Z", true, 1577836800},
		{"2020-01-01T00:00:00+0100", true, 1577833200},
		{"2020-01-01T00:00:00+01", true, 1577833200},
		{"2020-01-01T00:00:00", true, 1577836800},
		{"2020-01", true, 1577836800},
		{"1577836800", true, 1577836800},
		{"-1", true, -1},
		{"20200101T000000", true, 1577836800},
		{"2020-13-01", false, 0},
		{"2020-01-32", false, 0},
		{"2020-01-01T24:00:00Z", false, 0},
		{"2020-01-01T00:00:00+25:00", false, 0},
		{"2020-01-01T00:00:00ZZ", false, 0},
		{"2020/01/01", false, 0},
		{"", false, 0},
		{"-", false, 0},
		{"2020-01-01 00:00:00", false, 0},
	} {
		got, ok := parseDate(tt.in)
		if ok != tt.ok || ok && got.sec != tt.unix {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got.sec, ok, tt.unix, tt.ok)
		}
	}
}
