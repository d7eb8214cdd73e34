package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics on any input, that the fast path
// and the careful path agree on every document the fast path takes, that
// every accepted document round-trips (Parse → MarshalJSON → Parse gives an
// equal policy, and marshalling is stable) and that evaluating it never
// panics.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*", "*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b, uint8(0))
		}
	}
	for _, s := range []string{
		doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`),
		doc(`{"Sid":"x","Effect":"Deny","NotPrincipal":{"AWS":["111122223333"]},"NotAction":"s3:*","NotResource":["arn:aws:s3:::b/${aws:username}/*"]}`),
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"a:b":["${*}",1,true]}}}}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"Service":"x"},"Action":"sts:AssumeRole"}]}`,
		`{"Version":"2012-10-17","Statement":[]}`, `[]`, `{`, `{"a":"\ud800"}`, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:*"}}`,
		string(benchPolicy()), `{"Version":"2012-10-17","Statement":[` + benchUniqueStatements(10) + `]}`,
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := Kind(k%3) + Identity
		checkPaths(t, data, kind)
		p, err := Parse(data, kind)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse returned %T, want *Error", err)
			}
			return
		}
		roundTrip(t, p)
		out, _ := p.MarshalJSON()
		q, _ := Parse(out, kind)
		for _, who := range []*Principal{alice, devSess, anon, svc} {
			c := ctx("aws:username", "alice", "aws:SourceIp", "10.0.0.1", "s3:prefix", "a/*")
			req := &Request{Principal: who, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", Context: c}
			_ = Decide(Input{Request: req, Identity: []*Policy{p}, Resource: p, Boundary: p})
			// The marshalled document must mean the same thing.
			a, b := p.Evaluate(req), q.Evaluate(req)
			if a.Allowed != b.Allowed || a.Denied != b.Denied || len(a.Matched) != len(b.Matched) {
				t.Fatalf("re-parsed policy evaluates differently: %v vs %v", a, b)
			}
		}
	})
}
