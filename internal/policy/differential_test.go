package policy_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/policy"
)

// The differential test: thousands of random but meaningful requests
// (oracle_gen_test.go, oracle_vocab_test.go), each decided by policy.Decide
// and by @cloud-copilot/iam-simulate (the oracle, oracle_setup_test.go), the
// answers compared three ways (Allow, implicit deny, explicit deny). A
// disagreement fails the test unless a documented predicate
// (oracle_classify_test.go) puts the case in a class where the oracle is
// known to differ from AWS's documented behaviour; the size of each class
// and its disagreements are logged. testdata/oracle/DISAGREEMENTS.md records
// each class with the AWS documentation that decides it.
//
//	go test ./internal/policy -run TestDifferentialOracle -v -oracle.seed=7 -oracle.n=20000

var (
	oracleSeed = flag.Uint64("oracle.seed", 1, "seed of the differential test's case generator; 0 picks one from the clock (it is logged)")
	oracleN    = flag.Int("oracle.n", 5000, "number of cases the differential test generates")
	oracleDump = flag.String("oracle.dump", "", "write the oracle's input lines to this file (for running testdata/oracle/oracle.js by hand)")
)

// rendered holds the JSON documents of a case, rendered once so that both
// implementations read the same text.
type rendered struct {
	identity []json.RawMessage
	boundary json.RawMessage
	session  []json.RawMessage
	resource json.RawMessage
}

func render(c *genCase, r *rand.Rand) rendered {
	var d rendered
	for i := range c.identity {
		d.identity = append(d.identity, c.identity[i].json(r))
	}
	if c.boundary != nil {
		d.boundary = c.boundary.json(r)
	}
	for i := range c.session {
		d.session = append(d.session, c.session[i].json(r))
	}
	if c.resPolicy != nil {
		d.resource = c.resPolicy.json(r)
	}
	return d
}

// engineInput parses the documents and builds the Decide input.
func engineInput(c *genCase, d *rendered) (policy.Input, error) {
	parse := func(b json.RawMessage, kind policy.Kind, name string) (*policy.Policy, error) {
		p, err := policy.Parse(b, kind)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", name, b, err)
		}
		p.Name = name
		return p, nil
	}
	var in policy.Input
	var err error
	for i, b := range d.identity {
		p, perr := parse(b, policy.Identity, fmt.Sprintf("identity%d", i))
		err = joinErr(err, perr)
		in.Identity = append(in.Identity, p)
	}
	if d.boundary != nil {
		in.Boundary, err = parseInto(err, parse, d.boundary, policy.Identity, "boundary")
	}
	for i, b := range d.session {
		p, perr := parse(b, policy.Identity, fmt.Sprintf("session%d", i))
		err = joinErr(err, perr)
		in.Session = append(in.Session, p)
	}
	if d.resource != nil {
		in.Resource, err = parseInto(err, parse, d.resource, c.resKind, "resource")
	}
	ctx := policy.NewContext(len(c.ctx))
	for _, e := range c.ctx {
		ctx.Set(e.key, e.vals...)
	}
	in.Request = &policy.Request{Principal: c.caller.p, Action: c.action.name, Resource: c.resource, Context: ctx}
	in.ResourceAccount = c.resourceAccount
	return in, err
}

func parseInto(err error, parse func(json.RawMessage, policy.Kind, string) (*policy.Policy, error), b json.RawMessage, kind policy.Kind, name string) (*policy.Policy, error) {
	p, perr := parse(b, kind, name)
	return p, joinErr(err, perr)
}

func joinErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// Documents the oracle gets in place of the engine's built-in rules.
var (
	// rootFullAccess stands for the root user's implicit permissions: "By
	// default, all requests are implicitly denied with the exception of the
	// AWS account root user, which has full access"
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
	// iam-simulate does not model the root user, so it gets this identity
	// policy; the root user has no other identity-side policies.
	rootFullAccess = json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	// noSessionPermissions stands for a GetFederationToken session created
	// without session policies: "if you do not pass any session policies,
	// then the resulting federated user session has no permissions"
	// (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html).
	// iam-simulate applies session policies only when one is given.
	noSessionPermissions = json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}`)
)

// oracleInput builds the oracle's input line. It returns the adaptations
// made for rules iam-simulate does not model (each replaces a built-in rule
// by an equivalent policy, so the case is still compared).
func oracleInput(c *genCase, d *rendered) (oracleCase, []string) {
	oc := oracleCase{
		ID: c.id, Principal: c.caller.oracle, Action: c.action.name, Resource: c.resource,
		ResourceAccount: c.resourceAccount, Identity: d.identity, Boundary: d.boundary,
		ResourcePolicy: d.resource, Context: map[string]json.RawMessage{},
	}
	if oc.Identity == nil {
		oc.Identity = []json.RawMessage{}
	}
	var adapted []string
	if c.caller.typ() == policy.Root {
		oc.Identity = []json.RawMessage{rootFullAccess}
		adapted = append(adapted, "root user: full access given as an Allow */* identity policy")
	}
	switch {
	case len(d.session) > 0:
		// Several session policies (inline and managed) apply together:
		// any of them may allow. The oracle takes one document, so their
		// statements are merged (all session documents are 2012-10-17).
		oc.Session = mergeStatements(d.session)
	case c.caller.typ() == policy.FederatedUser:
		oc.Session = noSessionPermissions
		adapted = append(adapted, "federated user without session policy: given a session policy that allows nothing")
	}
	for _, e := range c.ctx {
		var v any = e.vals
		if !e.multi {
			v = e.vals[0]
		}
		b, _ := json.Marshal(v)
		oc.Context[e.key] = b
	}
	return oc, adapted
}

func mergeStatements(docs []json.RawMessage) json.RawMessage {
	var all []json.RawMessage
	for _, b := range docs {
		var d struct{ Statement []json.RawMessage }
		if err := json.Unmarshal(b, &d); err != nil {
			panic(err)
		}
		all = append(all, d.Statement...)
	}
	b, _ := json.Marshal(map[string]any{"Version": policy.Version2012, "Statement": all})
	return b
}

var oracleEffects = map[string]policy.DecisionEffect{
	"Allowed":          policy.Allow,
	"ImplicitlyDenied": policy.ImplicitDeny,
	"ExplicitlyDenied": policy.ExplicitDeny,
}

// diffRun accumulates the outcome of a run for the report.
type diffRun struct {
	seed     uint64
	n        int
	compared int
	agreed   int
	outcomes map[policy.DecisionEffect]int
	adapted  map[string]int
	// inClass counts the cases each documented class covers; known counts
	// those of them where the answers differ (only these are excused).
	inClass    map[string]int
	known      map[string]int
	mismatches []string
	problems   []string // generator or harness errors: the run is invalid
}

func TestDifferentialOracle(t *testing.T) {
	t.Parallel()
	node, prefix := installOracle(t)
	run := &diffRun{seed: *oracleSeed, n: *oracleN, outcomes: map[policy.DecisionEffect]int{}, adapted: map[string]int{}, inClass: map[string]int{}, known: map[string]int{}}
	if run.seed == 0 {
		run.seed = uint64(time.Now().UnixNano())
	}
	start := time.Now()
	cases, inputs, lines := run.generate()
	genTime := time.Since(start)
	if len(run.problems) > 0 {
		t.Fatalf("seed %d: %d generated cases are invalid; first ones:\n%s", run.seed, len(run.problems), strings.Join(first(run.problems, 5), "\n"))
	}

	start = time.Now()
	decisions := make([]policy.Decision, run.n)
	for i := range inputs {
		decisions[i] = policy.Decide(inputs[i])
	}
	engineTime := time.Since(start)

	if *oracleDump != "" {
		dumpCases(t, *oracleDump, lines)
	}
	start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	results, err := runOracle(ctx, node, prefix, lines)
	if err != nil {
		t.Fatalf("seed %d: %v", run.seed, err)
	}
	oracleTime := time.Since(start)

	for i := range cases {
		run.compare(cases[i], &lines[i], decisions[i], &results[i])
	}
	t.Logf("seed %d: generated %d cases in %v; engine decided them in %v; oracle in %v",
		run.seed, run.n, genTime.Round(time.Millisecond), engineTime.Round(time.Millisecond), oracleTime.Round(time.Millisecond))
	run.report(t)
}

// generate draws the cases and builds both implementations' inputs.
func (run *diffRun) generate() ([]*genCase, []policy.Input, []oracleCase) {
	g := newGen(run.seed)
	cases := make([]*genCase, run.n)
	inputs := make([]policy.Input, run.n)
	lines := make([]oracleCase, run.n)
	for i := range cases {
		c := g.newCase(i)
		d := render(c, g.r)
		in, err := engineInput(c, &d)
		if err != nil {
			run.problems = append(run.problems, fmt.Sprintf("case %d: the engine rejects a generated policy: %v", i, err))
		}
		oc, adapted := oracleInput(c, &d)
		for _, a := range adapted {
			run.adapted[a]++
		}
		cases[i], inputs[i], lines[i] = c, in, oc
	}
	return cases, inputs, lines
}

// compare checks one case. Every case is compared; a disagreement is
// excused only when a documented class (oracle_classify_test.go) covers the
// case.
func (run *diffRun) compare(c *genCase, oc *oracleCase, d policy.Decision, o *oracleResult) {
	switch {
	case o.ID != c.id:
		run.problems = append(run.problems, fmt.Sprintf("case %d: oracle answered for case %d", c.id, o.ID))
		return
	case o.Result == "error":
		run.problems = append(run.problems, fmt.Sprintf("case %d: the oracle rejects the input: %s\n  input: %s", c.id, o.Error, mustJSON(oc)))
		return
	case len(o.Ignored) > 0:
		run.problems = append(run.problems, fmt.Sprintf("case %d: the oracle ignored context keys %v not defined for %s", c.id, o.Ignored, c.action.name))
		return
	}
	want, ok := oracleEffects[o.Result]
	if !ok {
		run.problems = append(run.problems, fmt.Sprintf("case %d: unknown oracle result %q", c.id, o.Result))
		return
	}
	run.compared++
	run.outcomes[d.Effect]++
	x := classify(c, o)
	if x != nil {
		run.inClass[x.name]++
	}
	switch {
	case d.Effect == want:
		run.agreed++
	case x != nil:
		run.known[x.name]++
	default:
		run.mismatches = append(run.mismatches, fmt.Sprintf("case %d (caller %s): engine %v, oracle %s\n  engine: %v\n  input: %s",
			c.id, c.caller.name, d.Effect, o.Result, d, mustJSON(oc)))
	}
}

func (run *diffRun) report(t *testing.T) {
	t.Helper()
	known := 0
	for _, k := range run.known {
		known += k
	}
	pct := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return 100 * float64(a) / float64(b)
	}
	t.Logf("compared %d of %d cases: %d agree (%.2f%%), %d differ in documented classes, %d differ otherwise; engine outcomes: %d Allow, %d ImplicitDeny, %d ExplicitDeny",
		run.compared, run.n, run.agreed, pct(run.agreed, run.compared), known, len(run.mismatches),
		run.outcomes[policy.Allow], run.outcomes[policy.ImplicitDeny], run.outcomes[policy.ExplicitDeny])
	for _, k := range sortedKeys(run.adapted) {
		t.Logf("adapted for the oracle (still compared): %5d  %s", run.adapted[k], k)
	}
	for _, x := range exclusions {
		t.Logf("documented class: %5d cases, %4d of them differ (excused)  %s", run.inClass[x.name], run.known[x.name], x.name)
	}
	repro := fmt.Sprintf("go test ./internal/policy -run TestDifferentialOracle -v -oracle.seed=%d -oracle.n=%d", run.seed, run.n)
	if len(run.problems) > 0 {
		t.Errorf("seed %d: %d generator/harness problems (repro: %s); first ones:\n%s", run.seed, len(run.problems), repro, strings.Join(first(run.problems, 5), "\n"))
	}
	if len(run.mismatches) > 0 {
		t.Errorf("seed %d: %d disagreements with the oracle outside the documented classes (repro: %s); first ones:\n%s", run.seed, len(run.mismatches), repro, strings.Join(first(run.mismatches, 10), "\n"))
	}
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// dumpCases writes the oracle input lines, one JSON document per line.
func dumpCases(t *testing.T, path string, lines []oracleCase) {
	t.Helper()
	var b strings.Builder
	for i := range lines {
		b.WriteString(mustJSON(&lines[i]))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatalf("-oracle.dump: %v", err)
	}
}
