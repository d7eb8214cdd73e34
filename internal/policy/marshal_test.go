package policy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// policyModel is what must survive a round trip: everything except
// positions, which change with formatting.
type policyModel struct {
	Kind       Kind
	Version    string
	ID         string
	Statements []Statement
}

func model(p *Policy) policyModel {
	return policyModel{Kind: p.Kind(), Version: p.Version(), ID: p.ID(), Statements: p.Statements()}
}

var modelOpts = cmp.Options{
	cmpopts.IgnoreFields(Statement{}, "Start", "End"),
	cmp.AllowUnexported(Statement{}, Principals{}, Condition{}, stmtForm{}, principalForm{}),
	cmp.FilterPath(func(p cmp.Path) bool {
		s := p.Last().String()
		return s == ".c" || s == ".set"
	}, cmp.Ignore()),
	cmpopts.EquateEmpty(),
}

// roundTrip checks Parse → MarshalJSON → Parse gives an equal policy and that
// marshalling is stable.
func roundTrip(t testing.TB, p *Policy) {
	t.Helper()
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	q, err := Parse(out, p.Kind())
	if err != nil {
		t.Fatalf("reparse of %s: %v (%s; %s)", out, err, err.(*Error).Location(), err.(*Error).Detail)
	}
	if diff := cmp.Diff(model(p), model(q), modelOpts); diff != "" {
		t.Fatalf("round trip changed the policy (-before +after):\n%s\nmarshalled: %s", diff, out)
	}
	out2, _ := q.MarshalJSON()
	if string(out) != string(out2) {
		t.Fatalf("marshalling is not stable:\n%s\n%s", out, out2)
	}
}

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind Kind
		in   string
		want string
	}{
		{
			name: "keeps string and list forms and element order",
			kind: Identity,
			in:   `{"Statement":[{"Resource":["*"],"Action":"s3:*","Effect":"Allow","Sid":"A"}],"Version":"2012-10-17"}`,
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":["*"]}]}`,
		},
		{
			name: "single statement object, no Version",
			kind: Identity,
			in:   `{"Statement":{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b"}}`,
			want: `{"Statement":{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::b"}}`,
		},
		{
			name: "principals in canonical order, conditions as strings",
			kind: Resource,
			in:   `{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Principal":{"Service":"s.amazonaws.com","AWS":["111122223333"]},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":[10,"20"]}}}]}`,
			want: `{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333"],"Service":"s.amazonaws.com"},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"NumericLessThan":{"s3:max-keys":["10","20"]}}}]}`,
		},
		{
			name: "star principal and escapes",
			kind: Resource,
			in:   `{"Statement":[{"Sid":"q\"\\\u0001é","Effect":"Allow","NotPrincipal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/\u003c"}]}`,
			want: `{"Statement":[{"Sid":"q\"\\\u0001é","Effect":"Allow","NotPrincipal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/<"}]}`,
		},
		{
			name: "trust policy",
			kind: Trust,
			in:   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"x"},"Null":{"accounts.google.com:sub":"false"}}}]}`,
			want: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"x"},"Null":{"accounts.google.com:sub":"false"}}}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, tt.in, tt.kind)
			got, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("MarshalJSON =\n%s\nwant\n%s", got, tt.want)
			}
			roundTrip(t, p)
		})
	}
}

// TestCorpus parses every accepted document under testdata/corpus: the
// corpus is a compatibility contract (documents AWS accepts that grantd
// must keep accepting), and each must round-trip.
func TestCorpus(t *testing.T) {
	t.Parallel()
	kinds := map[string]Kind{"identity": Identity, "resource": Resource, "trust": Trust}
	n := 0
	for dir, kind := range kinds {
		files, err := filepath.Glob(filepath.Join("testdata", "corpus", dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			n++
			t.Run(dir+"/"+filepath.Base(f), func(t *testing.T) {
				t.Parallel()
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				roundTrip(t, mustParse(t, string(b), kind))
			})
		}
	}
	if n < 15 {
		t.Errorf("corpus has %d documents, want at least 15", n)
	}
}
