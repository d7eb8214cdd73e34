package sts

import (
	"compress/flate"
	"fmt"
	"sync"
)

// Packed session data. AWS "compresses the passed inline session policy,
// managed policy ARNs, and session tags into a packed binary format that
// has a separate limit", reports how full it is as PackedPolicySize (a
// percentage), and fails with PackedPolicyTooLarge past 100%, with one of
// two messages: "Packed policy consumes N% of allotted space, please use
// smaller policy." or "Packed size of session tags consumes N% of allotted
// space." (https://repost.aws/knowledge-center/iam-role-aws-sts-error).
// AWS does not publish the format or the limits. grantd packs the same
// inputs with DEFLATE and uses budgets chosen so that typical documents
// behave as on AWS: a 2,048-character policy of ordinary statements fits,
// the same length of incompressible text does not, and a dozen typical
// session tags fit while fifty long ones do not. The figures are grantd's,
// not AWS's.
const (
	// packedPolicyBudget is the compressed size, in bytes, of a session
	// policy and its managed policy ARNs at 100%.
	packedPolicyBudget = 1024
	// packedTagsBudget is the compressed size, in bytes, of session tags
	// and transitive tag keys at 100%.
	packedTagsBudget = 1024
)

// packed is how full the packed session data are, in percent.
type packed struct {
	policy, tags int
}

// size is PackedPolicySize: the fuller of the two parts, 0 when the session
// has no session policy, managed policy ARNs or tags.
func (p packed) size() int { return max(p.policy, p.tags) }

// err returns PackedPolicyTooLarge when a part is over its budget.
func (p packed) err() error {
	switch {
	case p.policy > 100:
		return packedErr("Packed policy consumes %d%% of allotted space, please use smaller policy.", p.policy)
	case p.tags > 100:
		return packedErr("Packed size of session tags consumes %d%% of allotted space.", p.tags)
	}
	return nil
}

func packedErr(format string, pct int) error {
	e := *ErrPackedPolicyTooLarge
	e.Msg = fmt.Sprintf(format, pct)
	return &e
}

// pack measures a session's packed policy (compact inline policy, managed
// policy ARNs) and packed tags (keys, values, transitive keys).
func pack(policy string, arns []string, tags []Tag, transitive []string) packed {
	var p packed
	switch {
	case len(arns) == 0 && policy != "":
		p.policy, _ = policyPercents.get(policy, func(doc string) (int, error) {
			return percent(compressedLen([]string{doc}), packedPolicyBudget), nil
		})
	case len(arns) > 0:
		parts := append([]string{policy}, arns...)
		p.policy = percent(compressedLen(parts), packedPolicyBudget)
	}
	if len(tags) > 0 || len(transitive) > 0 {
		parts := make([]string, 0, 2*len(tags)+len(transitive))
		for _, t := range tags {
			parts = append(parts, t.Key, t.Value)
		}
		parts = append(parts, transitive...)
		p.tags = percent(compressedLen(parts), packedTagsBudget)
	}
	return p
}

// percent is n of budget in whole percent, rounded up, so any content is at
// least 1%.
func percent(n, budget int) int { return (n*100 + budget - 1) / budget }

// flateWriters reuses compressors: a flate.Writer holds a few hundred
// kilobytes of state, too much to allocate per AssumeRole.
var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestCompression)
	return w
}}

// compressedLen is the DEFLATE-compressed length of parts joined by NUL.
func compressedLen(parts []string) int {
	var c counter
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&c)
	for i, s := range parts {
		if i > 0 {
			w.Write([]byte{0})
		}
		w.Write([]byte(s))
	}
	w.Close()
	flateWriters.Put(w)
	return c.n
}

// counter is an io.Writer that only counts.
type counter struct{ n int }

func (c *counter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}
