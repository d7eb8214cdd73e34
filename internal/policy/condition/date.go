package condition

import "time"

// Date condition operators ("IAM JSON policy elements: Condition operators",
// Date condition operators): DateEquals, DateNotEquals, DateLessThan,
// DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals. Values are
// "one of the W3C implementations of the ISO 8601 date formats" or epoch
// (UNIX) time; wildcards and policy variables are not supported.
//
// Accepted forms (in policies and in request values):
//
//	1557079200, 1557079200.5          epoch seconds (any all-digit string)
//	2020-01-02                        midnight UTC
//	2020-01                           first of the month, midnight UTC
//	2020-01-02T03:04Z                 with +hh:mm, -hh:mm, +hhmm, +hh or no zone (UTC)
//	2020-01-02T03:04:05Z
//	2020-01-02T03:04:05.123456789Z
//	20200102T030405Z                  ISO 8601 basic format (X-Amz-Date)
//
// A year-only "2020" is read as epoch seconds, because epoch values are
// all digits too.

type dateMatcher struct {
	op    cmpOp
	dates []instant
}

func newDateMatcher(cc *Compiler, name string, values []string) *Cond {
	c, m := newCond(&cc.dates)
	m.op = cmpFromName(name, "date")
	for _, v := range values {
		if d, ok := parseDate(v); ok {
			m.dates = append(m.dates, d)
		}
	}
	return c
}

func (m *dateMatcher) match(_ *Context, v string) (ok, hit bool) {
	d, ok := parseDate(v)
	if !ok {
		return false, false
	}
	for _, p := range m.dates {
		if m.op.test(d.cmp(p)) {
			return true, true
		}
	}
	return true, false
}

// instant is a point in time as seconds and nanoseconds since the epoch.
type instant struct {
	sec  int64
	nsec int64
}

func (a instant) cmp(b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// parseDate parses the forms listed above without allocating.
func parseDate(s string) (instant, bool) {
	if s == "" {
		return instant{}, false
	}
	if allDigitsOrPoint(s) {
		return parseEpoch(s)
	}
	if len(s) >= 15 && s[8] == 'T' && allDigits(s[:8]) {
		return parseBasic(s)
	}
	return parseExtended(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func allDigitsOrPoint(s string) bool {
	if s[0] == '-' {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// parseEpoch parses [-]seconds[.fraction].
func parseEpoch(s string) (instant, bool) {
	d, ok := parseDecimal(s)
	if !ok || len(d.whole) > 15 {
		return instant{}, false
	}
	var sec int64
	for i := 0; i < len(d.whole); i++ {
		sec = sec*10 + int64(d.whole[i]-'0')
	}
	nsec := fracNanos(d.frac)
	if d.neg {
		sec, nsec = -sec, -nsec
		if nsec < 0 {
			sec, nsec = sec-1, nsec+int64(time.Second)
		}
	}
	return instant{sec: sec, nsec: nsec}, true
}

// fracNanos converts the digits after a decimal point to nanoseconds,
// ignoring digits beyond the ninth.
func fracNanos(f string) int64 {
	var n int64
	for i := 0; i < 9; i++ {
		n *= 10
		if i < len(f) {
			n += int64(f[i] - '0')
		}
	}
	return n
}

// parseBasic parses YYYYMMDDThhmmss followed by Z or nothing.
func parseBasic(s string) (instant, bool) {
	if len(s) != 15 && !(len(s) == 16 && s[15] == 'Z') || !allDigits(s[9:15]) {
		return instant{}, false
	}
	return civil(num(s[0:4]), num(s[4:6]), num(s[6:8]), num(s[9:11]), num(s[11:13]), num(s[13:15]), 0, 0)
}

// parseExtended parses YYYY-MM[-DD[Thh:mm[:ss[.fff]][zone]]].
func parseExtended(s string) (instant, bool) {
	if len(s) < 7 || s[4] != '-' || !allDigits(s[0:4]) || !allDigits(s[5:7]) {
		return instant{}, false
	}
	year, month, day := num(s[0:4]), num(s[5:7]), 1
	rest := s[7:]
	if rest == "" {
		return civil(year, month, day, 0, 0, 0, 0, 0)
	}
	if len(rest) < 3 || rest[0] != '-' || !allDigits(rest[1:3]) {
		return instant{}, false
	}
	day, rest = num(rest[1:3]), rest[3:]
	if rest == "" {
		return civil(year, month, day, 0, 0, 0, 0, 0)
	}
	if len(rest) < 6 || rest[0] != 'T' || rest[3] != ':' || !allDigits(rest[1:3]) || !allDigits(rest[4:6]) {
		return instant{}, false
	}
	hour, minute, sec, nsec := num(rest[1:3]), num(rest[4:6]), 0, int64(0)
	rest = rest[6:]
	if len(rest) >= 3 && rest[0] == ':' && allDigits(rest[1:3]) {
		sec, rest = num(rest[1:3]), rest[3:]
		if len(rest) >= 2 && rest[0] == '.' && isDigit(rest[1]) {
			j := 1
			for j < len(rest) && isDigit(rest[j]) {
				j++
			}
			nsec, rest = fracNanos(rest[1:j]), rest[j:]
		}
	}
	off, ok := parseZone(rest)
	if !ok {
		return instant{}, false
	}
	return civil(year, month, day, hour, minute, sec, nsec, off)
}

// parseZone parses "", "Z", "+hh", "+hhmm" or "+hh:mm" (or with "-") into an
// offset in seconds east of UTC.
func parseZone(z string) (int, bool) {
	switch {
	case z == "" || z == "Z":
		return 0, true
	case z[0] != '+' && z[0] != '-':
		return 0, false
	}
	sign, z := z[0], z[1:]
	var h, m int
	switch {
	case len(z) == 2 && allDigits(z):
		h = num(z)
	case len(z) == 4 && allDigits(z):
		h, m = num(z[:2]), num(z[2:])
	case len(z) == 5 && z[2] == ':' && allDigits(z[:2]) && allDigits(z[3:]):
		h, m = num(z[:2]), num(z[3:])
	default:
		return 0, false
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if sign == '-' {
		off = -off
	}
	return off, true
}

func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// civil validates the fields and converts them to an instant.
func civil(year, month, day, hour, minute, sec int, nsec int64, off int) (instant, bool) {
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return instant{}, false
	}
	if day > daysIn(year, month) {
		return instant{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	return instant{sec: t.Unix() - int64(off), nsec: nsec}, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
