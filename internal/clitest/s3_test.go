package clitest_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/clitest"
)

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// TestS3WithAWSCLI runs the aws CLI's high-level s3 commands and a few
// s3api ones against `grantd serve`.
func TestS3WithAWSCLI(t *testing.T) {
	clitest.RequireCLI(t)
	srv := clitest.Start(t, clitest.Options{})
	root := clitest.RootCreds
	dir := t.TempDir()
	aws := func(args ...string) clitest.Result { return srv.MustAWS(t, root, args...) }

	aws("s3", "mb", "s3://cli-bucket")
	writeFile(t, filepath.Join(dir, "small.txt"), []byte("small file\n"))
	aws("s3", "cp", filepath.Join(dir, "small.txt"), "s3://cli-bucket/small.txt")
	big := cliBigFile(t, aws, dir)
	// Objects stream: moving 100 MiB in and out must not hold it in memory.
	rss, err := srv.PeakRSS()
	if err != nil {
		t.Fatalf("peak RSS: %v", err)
	}
	t.Logf("grantd peak RSS after the 100 MiB round trip: %d MiB", rss>>20)
	if rss > 96<<20 {
		t.Errorf("grantd's peak RSS is %d MiB after a 100 MiB upload and download", rss>>20)
	}
	cliSync(t, aws, dir)
	cliPolicy(t, srv, aws, dir)
	cliRangeAndPresign(t, srv, aws, dir, big)
	cliCleanup(t, srv, aws, dir)
}

type awsFunc func(args ...string) clitest.Result

func cliBigFile(t *testing.T, aws awsFunc, dir string) string {
	// 100 MiB: the CLI uploads it in 8 MiB parts and downloads it in
	// ranged GETs.
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 100<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	aws("s3", "cp", big, "s3://cli-bucket/big.bin")
	aws("s3", "cp", "s3://cli-bucket/big.bin", filepath.Join(dir, "big.down"))
	if fileSum(t, big) != fileSum(t, filepath.Join(dir, "big.down")) {
		t.Fatal("the 100 MiB file came back different")
	}
	var head struct {
		ContentLength int64
		ETag          string
	}
	aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "big.bin").JSON(t, &head)
	if head.ContentLength != 100<<20 || !strings.HasSuffix(head.ETag, `-13"`) {
		t.Errorf("head-object big.bin = %+v, want a 13-part multipart object", head)
	}
	return big
}

func cliSync(t *testing.T, aws awsFunc, dir string) {
	// sync up, change a file, sync again, sync down.
	src := filepath.Join(dir, "tree")
	for _, p := range []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"} {
		writeFile(t, filepath.Join(src, p), []byte("content of "+p))
	}
	aws("s3", "sync", src, "s3://cli-bucket/tree")
	writeFile(t, filepath.Join(src, "sub/b.txt"), []byte("changed content of b, longer than before"))
	out := aws("s3", "sync", src, "s3://cli-bucket/tree").Stdout
	if !strings.Contains(out, "sub/b.txt") || strings.Contains(out, "a.txt") {
		t.Errorf("second sync should upload only sub/b.txt:\n%s", out)
	}
	aws("s3", "sync", "s3://cli-bucket/tree", filepath.Join(dir, "tree.down"))
	for _, p := range []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"} {
		if fileSum(t, filepath.Join(src, p)) != fileSum(t, filepath.Join(dir, "tree.down", p)) {
			t.Errorf("synced %s differs", p)
		}
	}

}

func cliPolicy(t *testing.T, srv *clitest.Server, aws awsFunc, dir string) {
	ls := aws("s3", "ls", "--recursive", "s3://cli-bucket").Stdout
	var keys []string
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		fields := strings.Fields(line)
		keys = append(keys, fields[len(fields)-1])
	}
	sort.Strings(keys)
	want := []string{"big.bin", "small.txt", "tree/a.txt", "tree/sub/b.txt", "tree/sub/deeper/c.txt"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("s3 ls --recursive (-want +got):\n%s\n%s", diff, ls)
	}

	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::cli-bucket/tree/*"}]}`
	writeFile(t, filepath.Join(dir, "policy.json"), []byte(policy))
	aws("s3api", "put-bucket-policy", "--bucket", "cli-bucket", "--policy", "file://"+filepath.Join(dir, "policy.json"))
	var got struct{ Policy string }
	aws("s3api", "get-bucket-policy", "--bucket", "cli-bucket").JSON(t, &got)
	if got.Policy != policy {
		t.Errorf("get-bucket-policy = %q", got.Policy)
	}
	bad := srv.AWS(t, clitest.RootCreds, "s3api", "put-bucket-policy", "--bucket", "cli-bucket", "--policy", `{"Statement":[]}`)
	if bad.ExitCode == 0 || !strings.Contains(bad.Stderr, "MalformedPolicy") {
		t.Errorf("malformed policy: exit %d\n%s", bad.ExitCode, bad.Stderr)
	}
}

func cliRangeAndPresign(t *testing.T, srv *clitest.Server, aws awsFunc, dir, big string) {
	root := clitest.RootCreds
	part := filepath.Join(dir, "range.out")
	var ranged struct{ ContentRange string }
	aws("s3api", "get-object", "--bucket", "cli-bucket", "--key", "big.bin", "--range", "bytes=100-199", part).JSON(t, &ranged)
	whole, _ := os.ReadFile(big)
	if piece, _ := os.ReadFile(part); !bytes.Equal(piece, whole[100:200]) || ranged.ContentRange != "bytes 100-199/104857600" {
		t.Errorf("get-object --range: %d bytes, Content-Range %q", len(piece), ranged.ContentRange)
	}

	// CLI v1 presigns with SigV2 unless told otherwise; S3 refuses SigV2
	// for buckets created since 2020, and so does grantd.
	cfg := filepath.Join(dir, "aws-config")
	writeFile(t, cfg, []byte("[default]\ns3 =\n    signature_version = s3v4\n"))
	presign := srv.AWSEnv(t, root, []string{"AWS_CONFIG_FILE=" + cfg}, "s3", "presign", "s3://cli-bucket/small.txt", "--expires-in", "300")
	if presign.ExitCode != 0 {
		t.Fatalf("s3 presign: %s", presign.Stderr)
	}
	url := strings.TrimSpace(presign.Stdout)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "small file\n" {
		t.Errorf("presigned URL %s: %d %q", url, resp.StatusCode, body)
	}

}

func cliCleanup(t *testing.T, srv *clitest.Server, aws awsFunc, dir string) {
	root := clitest.RootCreds
	missing := srv.AWS(t, root, "s3", "cp", "s3://cli-bucket/nope", filepath.Join(dir, "nope"))
	if missing.ExitCode == 0 || !strings.Contains(missing.Stderr, "404") {
		t.Errorf("cp of a missing key: exit %d\n%s", missing.ExitCode, missing.Stderr)
	}
	rb := srv.AWS(t, root, "s3", "rb", "s3://cli-bucket")
	if rb.ExitCode == 0 || !strings.Contains(rb.Stderr, "BucketNotEmpty") {
		t.Errorf("rb of a full bucket: exit %d\n%s", rb.ExitCode, rb.Stderr)
	}
	aws("s3", "rm", "--recursive", "s3://cli-bucket")
	if left := aws("s3", "ls", "--recursive", "s3://cli-bucket").Stdout; strings.TrimSpace(left) != "" {
		t.Errorf("objects left after rm --recursive:\n%s", left)
	}
	aws("s3", "rb", "s3://cli-bucket")
	if list := aws("s3", "ls").Stdout; strings.Contains(list, "cli-bucket") {
		t.Errorf("bucket still listed:\n%s", list)
	}
}
