package iamapi

import (
	"net/url"
	"sort"
	"testing"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/awserr"
)

func params(kv ...string) query.Params {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return query.Params{Values: v}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, op string
		p        query.Params
		want     string // "" for valid
	}{
		{"valid", "CreateUser", params("UserName", "alice", "Path", "/a/b/"), ""},
		{"missing", "CreateUser", params(), "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"empty name", "CreateUser", params("UserName", ""), `2 validation errors detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"path pattern", "CreateUser", params("UserName", "a", "Path", "/a"), `1 validation error detected: Value '/a' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"range", "CreateRole", params("RoleName", "r", "AssumeRolePolicyDocument", "{}", "MaxSessionDuration", "50000"), "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"enum", "ListPolicies", params("Scope", "Mine"), "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"},
		{"boolean", "ListPolicies", params("OnlyAttached", "yes"), "1 validation error detected: Value 'yes' at 'onlyAttached' failed to satisfy constraint: Member must be a boolean"},
		{"nested struct", "TagUser", params("UserName", "u", "Tags.member.1.Key", "k"), "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"},
		{"list elements", "CreateOpenIDConnectProvider", params("Url", "https://x", "ThumbprintList.member.1", "abc"), "1 validation error detected: Value '[abc]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 40]"},
		{"jwks tag value is exempt", "TagOpenIDConnectProvider", params("OpenIDConnectProviderArn", "arn:aws:iam::111122223333:oidc-provider/x", "Tags.member.1.Key", "grantd:jwks", "Tags.member.1.Value", `{"keys":[]}`), ""},
		{"other tag values are not", "TagUser", params("UserName", "u", "Tags.member.1.Key", "k", "Tags.member.1.Value", `{"keys":[]}`), `1 validation error detected: Value '{"keys":[]}' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*`},
		{"unicode tag", "TagUser", params("UserName", "u", "Tags.member.1.Key", "Größe", "Tags.member.1.Value", "groß 1"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate(tt.op, tt.p)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("validate: %v", err)
				}
				return
			}
			e, ok := err.(*awserr.Error)
			if !ok || e.Code.Name != "ValidationError" || e.Msg() != tt.want {
				t.Errorf("validate = %v\nwant        %s", err, tt.want)
			}
		})
	}
}

func TestEveryOperationHasAShape(t *testing.T) {
	served := New(nil).(*query.Service).Ops
	var missing, unserved []string
	for name := range served {
		if _, ok := model.Operations[name]; !ok {
			missing = append(missing, name)
		}
	}
	for name := range model.Operations {
		if _, ok := served[name]; !ok {
			unserved = append(unserved, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(unserved)
	if len(missing)+len(unserved) > 0 {
		t.Errorf("served without a botocore shape: %v; shapes of operations not served: %v", missing, unserved)
	}
	if len(served) < 80 {
		t.Errorf("only %d operations served", len(served))
	}
}

func TestEncodeDocument(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}` + "\n ü"
	got := encodeDocument(doc)
	want := "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D%0A%20%C3%BC"
	if got != want {
		t.Errorf("encodeDocument = %s\nwant             %s", got, want)
	}
	if back, err := url.PathUnescape(got); err != nil || back != doc {
		t.Errorf("round trip = %q, %v", back, err)
	}
}

// FuzzValidate feeds arbitrary parameters to every operation's validator:
// it must never panic, and must either accept or return a ValidationError.
func FuzzValidate(f *testing.F) {
	f.Add("CreateUser", "UserName", "alice", "Tags.member.1.Key", "k")
	f.Add("SimulateCustomPolicy", "PolicyInputList.member.1", "{}", "ContextEntries.member.1.ContextKeyValues.member.1", "x")
	f.Add("ListPolicies", "MaxItems", "99999999999999999999", "Scope", "\xff")
	f.Add("TagUser", "Tags.member.x.Key", "", "Tags.member.1", "v")
	ops := make([]string, 0, len(model.Operations))
	for op := range model.Operations {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	f.Fuzz(func(t *testing.T, op, k1, v1, k2, v2 string) {
		if len(op) > 0 && model.Operations[op] == "" {
			op = ops[int(op[0])%len(ops)]
		}
		err := validate(op, params(k1, v1, k2, v2))
		if err != nil {
			if e, ok := err.(*awserr.Error); !ok || e.Code.Name != "ValidationError" {
				t.Fatalf("validate(%s) = %v", op, err)
			}
		}
	})
}
