package iamapi

import (
	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
)

func simulateParams(p query.Params) (iam.SimulateInput, error) {
	pg, err := pageParam(p)
	if err != nil {
		return iam.SimulateInput{}, err
	}
	in := iam.SimulateInput{
		PolicySourceArn:                    p.Get("PolicySourceArn"),
		PolicyInputList:                    p.Members("PolicyInputList"),
		PermissionsBoundaryPolicyInputList: p.Members("PermissionsBoundaryPolicyInputList"),
		ActionNames:                        p.Members("ActionNames"),
		ResourceArns:                       p.Members("ResourceArns"),
		ResourcePolicy:                     p.Get("ResourcePolicy"),
		ResourceOwner:                      p.Get("ResourceOwner"),
		CallerArn:                          p.Get("CallerArn"),
		ResourceHandlingOption:             p.Get("ResourceHandlingOption"),
		Page:                               pg,
	}
	for _, e := range p.Structs("ContextEntries") {
		in.ContextEntries = append(in.ContextEntries, iam.ContextEntry{Key: e.Get("ContextKeyName"),
			Values: e.Members("ContextKeyValues"), Type: e.Get("ContextKeyType")})
	}
	return in, nil
}

type xPosition struct {
	Line   int
	Column int
}

type xStatement struct {
	SourcePolicyID   string `xml:"SourcePolicyId"`
	SourcePolicyType string
	StartPosition    xPosition
	EndPosition      xPosition
}

type xBoundaryDetail struct {
	AllowedByPermissionsBoundary bool
}

type xResourceResult struct {
	EvalResourceName                  string
	EvalResourceDecision              string
	MatchedStatements                 members[xStatement]
	MissingContextValues              members[string]
	EvalDecisionDetails               *entries         `xml:"EvalDecisionDetails,omitempty"`
	PermissionsBoundaryDecisionDetail *xBoundaryDetail `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
}

type xEvaluationResult struct {
	EvalActionName                    string
	EvalResourceName                  string
	EvalDecision                      string
	MatchedStatements                 members[xStatement]
	MissingContextValues              members[string]
	EvalDecisionDetails               *entries                  `xml:"EvalDecisionDetails,omitempty"`
	PermissionsBoundaryDecisionDetail *xBoundaryDetail          `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
	ResourceSpecificResults           *members[xResourceResult] `xml:"ResourceSpecificResults,omitempty"`
}

func statementsOut(ms []iam.MatchedStatement) members[xStatement] {
	out := make(members[xStatement], len(ms))
	for i, m := range ms {
		out[i] = xStatement{m.SourcePolicyID, m.SourcePolicyType, xPosition{m.Start.Line, m.Start.Column}, xPosition{m.End.Line, m.End.Column}}
	}
	return out
}

func detailsMap(d map[string]string) *entries {
	if d == nil {
		return nil
	}
	e := entries(d)
	return &e
}

func boundaryDetail(b *bool) *xBoundaryDetail {
	if b == nil {
		return nil
	}
	return &xBoundaryDetail{*b}
}

func simulateOut(l iam.List[iam.EvaluationResult], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := make(members[xEvaluationResult], len(l.Items))
	for i, r := range l.Items {
		x := xEvaluationResult{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
			MatchedStatements: statementsOut(r.Matched), MissingContextValues: members[string](r.Missing),
			EvalDecisionDetails: detailsMap(r.Details), PermissionsBoundaryDecisionDetail: boundaryDetail(r.AllowedByBoundary)}
		if len(r.Resources) > 0 {
			rs := make(members[xResourceResult], len(r.Resources))
			for j, rr := range r.Resources {
				rs[j] = xResourceResult{rr.Resource, rr.Decision, statementsOut(rr.Matched), members[string](rr.Missing),
					detailsMap(rr.Details), boundaryDetail(rr.AllowedByBoundary)}
			}
			x.ResourceSpecificResults = &rs
		}
		out[i] = x
	}
	return struct {
		EvaluationResults members[xEvaluationResult]
		page
	}{out, pageOut(l)}, nil
}
