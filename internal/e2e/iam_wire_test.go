package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/apptest"
)

// TestIAMWire checks the Query protocol envelope IAM clients parse, with
// requests the SDK would refuse to send (signed by the SDK's signer).
func TestIAMWire(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	post := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, env.Endpoint+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		resp := signed(t, env, env.Root(), "iam", req, []byte(body))
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		name, body string
		status     int
		contains   []string
	}{
		{"missing required parameter", "Action=CreateUser&Version=2010-05-08", http.StatusBadRequest, []string{
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`, "<Type>Sender</Type>", "<Code>ValidationError</Code>",
			"<Message>1 validation error detected: Value null at &#39;userName&#39; failed to satisfy constraint: Member must not be null</Message>"}},
		{"empty list", "Action=ListUsers&Version=2010-05-08", http.StatusOK, []string{
			`<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult>`}},
		{"unknown action", "Action=FlyToTheMoon&Version=2010-05-08", http.StatusBadRequest, []string{"<Code>InvalidAction</Code>"}},
		{"not a number", "Action=ListUsers&Version=2010-05-08&MaxItems=ten", http.StatusBadRequest, []string{"<Code>ValidationError</Code>", "Member must be a number"}},
		{"bad tag element", "Action=TagUser&Version=2010-05-08&UserName=u&Tags.member.1.Key=k", http.StatusBadRequest, []string{
			"Value null at &#39;tags.1.member.value&#39; failed to satisfy constraint: Member must not be null"}},
		{"document echoed percent-encoded", "Action=GetPolicyVersion&Version=2010-05-08&PolicyArn=arn:aws:iam::aws:policy/AdministratorAccess&VersionId=v1", http.StatusOK, []string{
			"<Document>%7B%0A%20%20%22Version%22%20%3A%20%222012-10-17%22"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(tt.body)
			if status != tt.status {
				t.Errorf("status = %d, want %d\n%s", status, tt.status, body)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %s\n%s", want, body)
				}
			}
		})
	}
	if n := env.App.Server.Panics(); n != 0 {
		t.Errorf("%d panics", n)
	}
}
