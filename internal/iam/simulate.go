package iam

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// SimulateInput is the request of SimulateCustomPolicy and
// SimulatePrincipalPolicy.
type SimulateInput struct {
	// PolicySourceArn is the user, group or role whose policies are
	// simulated (SimulatePrincipalPolicy only).
	PolicySourceArn string
	// PolicyInputList are identity policies to include.
	PolicyInputList []string
	// PermissionsBoundaryPolicyInputList replaces the entity's boundary.
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	// ResourceArns are the resources to simulate; none means "*".
	ResourceArns   []string
	ResourcePolicy string
	// ResourceOwner is the account owning the resources (an account ID or
	// arn:aws:iam::ACCOUNT:root); empty means the caller's account.
	ResourceOwner string
	// CallerArn is the simulated caller, required with ResourcePolicy.
	CallerArn      string
	ContextEntries []ContextEntry
	// ResourceHandlingOption selects EC2 scenarios; it is accepted and
	// has no effect on the resources grantd serves.
	ResourceHandlingOption string
	Page
}

// ContextEntry is a simulated condition key.
type ContextEntry struct {
	Key    string
	Values []string
	Type   string // string, stringList, numeric, … (values are strings either way)
}

// MatchedStatement is a statement that decided a simulation.
type MatchedStatement struct {
	SourcePolicyID, SourcePolicyType string
	Start, End                       policy.Position
}

// ResourceResult is the decision for one action on one resource.
type ResourceResult struct {
	Resource string
	Decision string // allowed, explicitDeny, implicitDeny
	Matched  []MatchedStatement
	Missing  []string
	// Details is EvalDecisionDetails: per policy type for cross-account
	// simulations; empty (not nil) for same-account ones.
	Details map[string]string
	// AllowedByBoundary is set when a permissions boundary was evaluated.
	AllowedByBoundary *bool
}

// EvaluationResult is the answer for one action (and one resource when
// ResourceArns were given, repeated in Resources as IAM does).
type EvaluationResult struct {
	Action string
	ResourceResult
	Resources []ResourceResult
}

// simPolicy is an input policy with how the simulator names it.
type simPolicy struct {
	id, typ string
	p       *policy.Policy
}

// SimulateCustomPolicy evaluates the given policies as real requests
// would be evaluated (policy.Decide), without touching stored policies.
func (s *Service) SimulateCustomPolicy(ctx context.Context, in SimulateInput) (List[EvaluationResult], error) {
	if err := s.authorize(ctx, "SimulateCustomPolicy", "*"); err != nil {
		return List[EvaluationResult]{}, err
	}
	_, acct := caller(ctx)
	identity, err := parseInputs(in.PolicyInputList, "PolicyInputList")
	if err != nil {
		return List[EvaluationResult]{}, err
	}
	boundary, err := parseInputs(in.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList")
	if err != nil {
		return List[EvaluationResult]{}, err
	}
	principal := &policy.Principal{Type: policy.User, Account: acct}
	return s.simulate(in, principal, identity, boundary)
}

// SimulatePrincipalPolicy evaluates the policies of a user (with its
// groups'), group or role, plus any given policies.
func (s *Service) SimulatePrincipalPolicy(ctx context.Context, in SimulateInput) (List[EvaluationResult], error) {
	if err := s.authorizeARN(ctx, "SimulatePrincipalPolicy", in.PolicySourceArn); err != nil {
		return List[EvaluationResult]{}, err
	}
	_, acct := caller(ctx)
	typ, name, ok := sourceEntity(in.PolicySourceArn)
	if !ok || arnAccount(in.PolicySourceArn) != acct {
		return List[EvaluationResult]{}, invalidInput("Invalid policy source ARN: %s. It must be the ARN of a user, group or role of this account.", in.PolicySourceArn)
	}
	var pp meta.PrincipalPolicies
	var err error
	principal := &policy.Principal{Account: acct, Type: policy.User, ARN: in.PolicySourceArn}
	switch typ {
	case meta.EntityUser:
		pp, err = s.store.UserPolicies(ctx, acct, name)
	case meta.EntityRole:
		pp, err = s.store.RolePolicies(ctx, acct, name)
		principal = &policy.Principal{Account: acct, Type: policy.AssumedRole, RoleARN: in.PolicySourceArn,
			ARN: "arn:aws:sts::" + acct + ":assumed-role/" + name + "/simulation"}
	default:
		pp, err = s.store.GroupPolicies(ctx, acct, name)
	}
	if err != nil {
		return List[EvaluationResult]{}, notFoundOr(err, typ, name)
	}
	identity, boundary, err := storedPolicies(pp)
	if err != nil {
		return List[EvaluationResult]{}, err
	}
	extra, err := parseInputs(in.PolicyInputList, "PolicyInputList")
	if err != nil {
		return List[EvaluationResult]{}, err
	}
	identity = append(identity, extra...)
	if len(in.PermissionsBoundaryPolicyInputList) > 0 {
		if boundary, err = parseInputs(in.PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList"); err != nil {
			return List[EvaluationResult]{}, err
		}
	}
	return s.simulate(in, principal, identity, boundary)
}

var sourceARNRe = regexp.MustCompile(`^arn:aws:iam::\d{12}:(user|group|role)(/[\x21-\x7e]*)?/([\w+=,.@-]+)$`)

func sourceEntity(arn string) (meta.EntityType, string, bool) {
	m := sourceARNRe.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return meta.EntityType(m[1]), m[3], true
}

// storedPolicies compiles a principal's stored policies, naming them as
// the simulator reports them: inline policies by name with the owner's
// type, managed ones by name as aws-managed or user-managed.
func storedPolicies(pp meta.PrincipalPolicies) ([]simPolicy, []simPolicy, error) {
	conv := func(d meta.PolicyDocument) (simPolicy, error) {
		sp := simPolicy{}
		if strings.HasPrefix(d.Source, "arn:") {
			sp.id = d.Source[strings.LastIndexByte(d.Source, '/')+1:]
			sp.typ = "user-managed"
			if arnAccount(d.Source) == "aws" {
				sp.typ = "aws-managed"
			}
		} else {
			parts := strings.SplitN(d.Source, "/", 3)
			sp.typ, sp.id = parts[0], parts[len(parts)-1]
		}
		p, err := policy.Parse([]byte(d.Document), policy.Identity)
		if err != nil {
			return sp, fmt.Errorf("stored policy %s does not parse: %w", d.Source, err)
		}
		sp.p = p
		return sp, nil
	}
	var identity, boundary []simPolicy
	for _, d := range pp.Documents {
		sp, err := conv(d)
		if err != nil {
			return nil, nil, err
		}
		identity = append(identity, sp)
	}
	if pp.Boundary != nil {
		sp, err := conv(*pp.Boundary)
		if err != nil {
			return nil, nil, err
		}
		boundary = append(boundary, sp)
	}
	return identity, boundary, nil
}

// parseInputs parses policies given in the request; a bad one is
// InvalidInput (MalformedPolicyDocument is not among the simulator's
// errors in the API reference), with the engine's message. Matched
// statements of input policies are reported as SourcePolicyId
// "PolicyInputList.N" with SourcePolicyType "IAM Policy", the values the
// aws CLI shows for simulate-custom-policy (not in the PolicySourceType
// enum, which names stored policies only).
func parseInputs(docs []string, list string) ([]simPolicy, error) {
	out := make([]simPolicy, 0, len(docs))
	for i, d := range docs {
		p, err := policy.Parse([]byte(d), policy.Identity)
		if err != nil {
			if pe, ok := err.(*policy.Error); ok {
				return nil, invalidInput("%s.%d: %s", list, i+1, pe.Message)
			}
			return nil, err
		}
		out = append(out, simPolicy{id: list + "." + strconv.Itoa(i+1), typ: "IAM Policy", p: p})
	}
	return out, nil
}

// simulate evaluates every action on every resource.
func (s *Service) simulate(in SimulateInput, principal *policy.Principal, identity, boundary []simPolicy) (List[EvaluationResult], error) {
	var resPolicy *simPolicy
	if in.ResourcePolicy != "" {
		if in.CallerArn == "" {
			return List[EvaluationResult]{}, invalidInput("CallerArn must be provided when ResourcePolicy is specified.")
		}
		p, err := policy.Parse([]byte(in.ResourcePolicy), policy.Resource)
		if err != nil {
			if pe, ok := err.(*policy.Error); ok {
				return List[EvaluationResult]{}, invalidInput("ResourcePolicy: %s", pe.Message)
			}
			return List[EvaluationResult]{}, err
		}
		resPolicy = &simPolicy{id: "ResourcePolicy", typ: "Resource Policy", p: p}
	}
	if in.CallerArn != "" {
		cp, err := callerPrincipal(in.CallerArn)
		if err != nil {
			return List[EvaluationResult]{}, err
		}
		cp.RoleARN = principal.RoleARN
		principal = cp
	}
	owner := principal.Account
	if in.ResourceOwner != "" {
		if owner = ownerAccount(in.ResourceOwner); owner == "" {
			return List[EvaluationResult]{}, invalidInput("Invalid ResourceOwner: %s", in.ResourceOwner)
		}
	}
	ctx := policy.NewContext(len(in.ContextEntries))
	for _, e := range in.ContextEntries {
		ctx.Set(e.Key, e.Values...)
	}
	sim := simulation{principal: principal, identity: identity, boundary: boundary, resource: resPolicy, owner: owner, ctx: ctx}
	resources := in.ResourceArns
	specific := len(resources) > 0
	if !specific {
		resources = []string{"*"}
	}
	var results []EvaluationResult
	for _, action := range in.ActionNames {
		for _, res := range resources {
			r := sim.run(action, res, specific)
			er := EvaluationResult{Action: action, ResourceResult: r}
			if specific {
				// "If you include a list of resources, then any missing
				// context values are instead included under the
				// ResourceSpecificResults section" (EvaluationResult).
				er.Resources = []ResourceResult{r}
				er.Missing = nil
			}
			results = append(results, er)
		}
	}
	return pageResults(results, in.Page)
}

// pageResults pages the results in memory; the marker is an index.
func pageResults(results []EvaluationResult, p Page) (List[EvaluationResult], error) {
	start := 0
	if p.Marker != "" {
		mp, err := p.store()
		if err != nil {
			return List[EvaluationResult]{}, err
		}
		if start, err = strconv.Atoi(mp.After); err != nil || start < 0 || start > len(results) {
			return List[EvaluationResult]{}, validationError("Invalid Marker.")
		}
	}
	rest, n := results[start:], p.limit()
	if len(rest) <= n {
		return List[EvaluationResult]{Items: rest}, nil
	}
	return List[EvaluationResult]{Items: rest[:n], IsTruncated: true,
		Marker: base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(start + n)))}, nil
}

var callerARNRe = regexp.MustCompile(`^arn:aws:iam::(\d{12}):(root|user(/[\x21-\x7e]*)?/[\w+=,.@-]+)$`)

// callerPrincipal describes CallerArn, which IAM requires to be a user
// (grantd also accepts an account's root user).
func callerPrincipal(arn string) (*policy.Principal, error) {
	m := callerARNRe.FindStringSubmatch(arn)
	if m == nil {
		return nil, invalidInput("Invalid CallerArn: %s. It must be the ARN of an IAM user.", arn)
	}
	if m[2] == "root" {
		return &policy.Principal{Type: policy.Root, Account: m[1], ARN: arn}, nil
	}
	return &policy.Principal{Type: policy.User, Account: m[1], ARN: arn}, nil
}

var ownerRe = regexp.MustCompile(`^(?:arn:aws:iam::)?(\d{12})(?::root)?$`)

func ownerAccount(s string) string {
	if m := ownerRe.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// simulation holds what is common to every action and resource.
type simulation struct {
	principal *policy.Principal
	identity  []simPolicy
	boundary  []simPolicy
	resource  *simPolicy
	owner     string
	ctx       *policy.Context
}

// decisionName is the simulator's word for an effect.
func decisionName(e policy.DecisionEffect) string {
	switch e {
	case policy.Allow:
		return "allowed"
	case policy.ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// run decides one action on one resource with policy.Decide, the engine
// that decides real requests.
func (sim *simulation) run(action, resource string, specific bool) ResourceResult {
	names := map[string]simPolicy{}
	name := func(sp simPolicy) *policy.Policy {
		key := sp.typ + "\x00" + sp.id
		names[key] = sp
		sp.p.Name = key
		return sp.p
	}
	req := &policy.Request{Principal: sim.principal, Action: action, Resource: resource, Context: sim.ctx}
	in := policy.Input{Request: req, ResourceAccount: sim.owner}
	for _, sp := range sim.identity {
		in.Identity = append(in.Identity, name(sp))
	}
	// Several boundary documents bound together: each must allow.
	if len(sim.boundary) > 0 {
		in.Boundary = name(sim.boundary[0])
	}
	if sim.resource != nil {
		in.Resource = name(*sim.resource)
	}
	d := policy.Decide(in)
	r := ResourceResult{Resource: resource, Decision: decisionName(d.Effect)}
	for _, b := range sim.boundary[min(1, len(sim.boundary)):] {
		if res := b.p.Evaluate(req); d.Effect == policy.Allow && !res.Allowed {
			r.Decision = "implicitDeny"
		}
	}
	for _, reason := range d.Reasons {
		sp := names[reason.Policy]
		r.Matched = append(r.Matched, MatchedStatement{SourcePolicyID: sp.id, SourcePolicyType: sp.typ, Start: reason.Start, End: reason.End})
	}
	if r.Decision != "allowed" && d.Effect == policy.Allow {
		r.Matched = nil
	}
	if len(sim.boundary) > 0 {
		ok := true
		for _, b := range sim.boundary {
			res := b.p.Evaluate(req)
			ok = ok && res.Allowed && !res.Denied
		}
		r.AllowedByBoundary = &ok
	}
	r.Missing = sim.missing(req)
	if sim.owner != sim.principal.Account {
		r.Details = sim.crossAccount(in)
	} else if specific {
		r.Details = map[string]string{}
	}
	return r
}

// crossAccount summarises each side of a cross-account decision: the
// caller's account (identity policies) and the resource's (its policy).
// The API reference documents the map (EvalDecisionSourceType keys, 3 to
// 256 characters) but not its keys; grantd uses "IAM Policy" and
// "Resource Policy", the names the simulator gives those policy types.
func (sim *simulation) crossAccount(in policy.Input) map[string]string {
	local := in
	local.Resource, local.ResourceAccount = nil, ""
	details := map[string]string{"IAM Policy": decisionName(policy.Decide(local).Effect)}
	res := "implicitDeny"
	if in.Resource != nil {
		switch r := in.Resource.Evaluate(in.Request); {
		case r.Denied:
			res = "explicitDeny"
		case r.Allowed:
			res = "allowed"
		}
	}
	details["Resource Policy"] = res
	return details
}

var variableRe = regexp.MustCompile(`\$\{([^}]+)\}`)

// missing lists the condition keys (and policy variables) of statements
// that apply to the action and resource but have no value in the context.
func (sim *simulation) missing(req *policy.Request) []string {
	var out []string
	add := func(key string) {
		if key == "*" || key == "?" || key == "$" {
			return
		}
		if _, ok := sim.ctx.Get(key); !ok && !slices.ContainsFunc(out, func(k string) bool { return strings.EqualFold(k, key) }) {
			out = append(out, key)
		}
	}
	all := append(append([]simPolicy(nil), sim.identity...), sim.boundary...)
	if sim.resource != nil {
		all = append(all, *sim.resource)
	}
	for _, sp := range all {
		for _, st := range sp.p.Statements() {
			if len(st.Condition) == 0 && !hasVariables(st) {
				continue
			}
			if !statementTargets(st, req) {
				continue
			}
			for _, c := range st.Condition {
				add(c.Key)
			}
			for _, r := range append(append([]string(nil), st.Resource...), st.NotResource...) {
				for _, m := range variableRe.FindAllStringSubmatch(r, -1) {
					key, _, _ := strings.Cut(m[1], ",")
					add(strings.TrimSpace(key))
				}
			}
		}
	}
	return out
}

func hasVariables(st policy.Statement) bool {
	for _, r := range append(append([]string(nil), st.Resource...), st.NotResource...) {
		if strings.Contains(r, "${") {
			return true
		}
	}
	return false
}

// statementTargets reports whether a statement's Action and Resource
// elements match the request, ignoring its conditions: the engine decides
// a one-statement copy without them. Variables in resources are left as
// wildcards, since their values may be the missing ones.
func statementTargets(st policy.Statement, req *policy.Request) bool {
	doc := map[string]any{"Effect": "Allow"}
	if len(st.Action) > 0 {
		doc["Action"] = st.Action
	} else {
		doc["NotAction"] = st.NotAction
	}
	resources := func(list []string) []string {
		out := make([]string, len(list))
		for i, r := range list {
			out[i] = variableRe.ReplaceAllString(r, "*")
		}
		return out
	}
	switch {
	case len(st.Resource) > 0:
		doc["Resource"] = resources(st.Resource)
	case len(st.NotResource) > 0:
		doc["NotResource"] = resources(st.NotResource)
	default:
		doc["Resource"] = "*"
	}
	b, err := json.Marshal(map[string]any{"Version": policy.Version2012, "Statement": doc})
	if err != nil {
		return false
	}
	p, err := policy.Parse(b, policy.Identity)
	if err != nil {
		return false
	}
	return p.Evaluate(&policy.Request{Principal: req.Principal, Action: req.Action, Resource: req.Resource}).Allowed
}
