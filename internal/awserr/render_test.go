package awserr

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestRenderGolden pins each protocol's error envelope byte for byte; the
// SDKs parse each differently (STYLE.md, spec §2.2–2.3).
func TestRenderGolden(t *testing.T) {
	e := Newf(InvalidRequest, "bad <thing> & more").With("ArgumentName", "x-amz-thing")
	tests := []struct {
		name string
		env  Envelope
		err  *Error
	}{
		{"s3", Envelope{Protocol: S3, RequestID: "REQ1", HostID: "HOST1"}, e},
		{"s3control", Envelope{Protocol: S3Control, RequestID: "REQ2", HostID: "HOST2"}, New(AccessDenied)},
		{"query", Envelope{Protocol: Query, RequestID: "REQ3", Namespace: "https://sts.amazonaws.com/doc/2011-06-15/"}, New(InvalidClientTokenID)},
		{"query-receiver", Envelope{Protocol: Query, RequestID: "REQ4", Namespace: "https://iam.amazonaws.com/doc/2010-05-08/"}, New(ServiceFailure)},
		{"json", Envelope{Protocol: JSON, RequestID: "REQ5"}, New(AccessDeniedException)},
		{"restjson", Envelope{Protocol: RESTJSON, RequestID: "REQ6"}, Newf(ValidationException, "nope")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.env.Write(rec, tt.err)
			if rec.Code != tt.err.Code.Status {
				t.Errorf("status = %d, want %d", rec.Code, tt.err.Code.Status)
			}
			got := "Content-Type: " + rec.Header().Get("Content-Type") + "\n"
			if et := rec.Header().Get("X-Amzn-ErrorType"); et != "" {
				got += "X-Amzn-ErrorType: " + et + "\n"
			}
			got += "\n" + rec.Body.String()
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s envelope changed (-golden +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestHeadHasNoBody(t *testing.T) {
	rec := httptest.NewRecorder()
	Envelope{Protocol: S3, NoBody: true}.Write(rec, New(AccessDenied))
	if rec.Code != http.StatusForbidden || rec.Body.Len() != 0 {
		t.Errorf("HEAD error: status %d, body %q", rec.Code, rec.Body.String())
	}
}
