package clitest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/grantd/grantd/internal/clitest"
)

func sdkClient(srv *clitest.Server) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.StaticCredentialsProvider{Value: aws.Credentials{AccessKeyID: clitest.RootAccessKeyID, SecretAccessKey: clitest.RootSecret}},
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
		Retryer:      aws.NopRetryer{},
	})
}

// content returns the deterministic body of one version of a key.
func content(key string, version int) []byte {
	seed := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", key, version)))
	r := rand.New(rand.NewChaCha8(seed))
	n := r.IntN(256 << 10)
	if r.IntN(10) == 0 {
		n = 3<<20 + r.IntN(1<<20)
	}
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	return b
}

// ledger records what the writers sent and what the server acknowledged.
type ledger struct {
	mu       sync.Mutex
	acked    map[string][32]byte   // last acknowledged version of each key
	inflight map[string][][32]byte // versions sent but not acknowledged
	count    int
}

func (l *ledger) send(key string, sum [32]byte) {
	l.mu.Lock()
	l.inflight[key] = append(l.inflight[key], sum)
	l.mu.Unlock()
}

func (l *ledger) ack(key string, sum [32]byte) {
	l.mu.Lock()
	l.acked[key] = sum
	l.count++
	vs := l.inflight[key]
	for i, v := range vs {
		if v == sum {
			l.inflight[key] = append(vs[:i:i], vs[i+1:]...)
			break
		}
	}
	l.mu.Unlock()
}

func (l *ledger) acks() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

// TestS3SurvivesKill9 streams PUTs (new keys and overwrites) at a
// `grantd serve`, kills it with SIGKILL mid-stream, restarts it on the same
// data directory, and checks that every acknowledged write is there byte
// for byte, that nothing partial is visible, and that the startup sweep
// leaves exactly one blob per object.
func TestS3SurvivesKill9(t *testing.T) {
	srv := clitest.Start(t, clitest.Options{})
	c := sdkClient(srv)
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("durable")}); err != nil {
		t.Fatal(err)
	}
	l := &ledger{acked: map[string][32]byte{}, inflight: map[string][][32]byte{}}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); write(c, l, w, stop) }()
	}
	deadline := time.Now().Add(20 * time.Second)
	for l.acks() < 200 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	srv.Kill() // writes are in flight: the workers never stop on their own
	close(stop)
	wg.Wait()
	if l.acks() < 50 {
		t.Fatalf("only %d writes acknowledged before the kill", l.acks())
	}
	t.Logf("%d writes acknowledged, %d keys, before SIGKILL", l.acks(), len(l.acked))

	again := clitest.Start(t, clitest.Options{DataDir: srv.DataDir})
	c = sdkClient(again)
	for key, sum := range l.acked {
		got := getSum(t, c, key)
		if got != sum && !contains(l.inflight[key], got) {
			t.Errorf("%s: content matches neither the acknowledged version nor one in flight", key)
		}
	}
	listed := listAll(t, c)
	for _, key := range listed {
		if _, ok := l.acked[key]; ok {
			continue
		}
		if got := getSum(t, c, key); !contains(l.inflight[key], got) {
			t.Errorf("%s: never acknowledged and not a complete in-flight version", key)
		}
	}
	for key := range l.acked {
		if !containsKey(listed, key) {
			t.Errorf("%s: acknowledged but not listed", key)
		}
	}
	waitForBlobs(t, srv.DataDir, len(listed))
}

func write(c *s3.Client, l *ledger, w int, stop chan struct{}) {
	versions := map[string]int{}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		key := fmt.Sprintf("w%d/%05d", w, i)
		if i%4 == 3 {
			key = fmt.Sprintf("w%d/%05d", w, i-2) // overwrite an earlier key
		}
		versions[key]++
		body := content(key, versions[key])
		sum := sha256.Sum256(body)
		l.send(key, sum)
		_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("durable"), Key: aws.String(key), Body: bytes.NewReader(body)})
		if err != nil {
			return // the server is gone
		}
		l.ack(key, sum)
	}
}

func getSum(t *testing.T, c *s3.Client, key string) [32]byte {
	t.Helper()
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("durable"), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject(%s) after restart: %v", key, err)
	}
	defer out.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, out.Body)
	if err != nil || n != aws.ToInt64(out.ContentLength) {
		t.Fatalf("GetObject(%s): read %d of %d bytes: %v", key, n, aws.ToInt64(out.ContentLength), err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func listAll(t *testing.T, c *s3.Client) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("durable")})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

func contains(sums [][32]byte, s [32]byte) bool {
	for _, v := range sums {
		if v == s {
			return true
		}
	}
	return false
}

func containsKey(keys []string, k string) bool {
	for _, v := range keys {
		if v == k {
			return true
		}
	}
	return false
}

// waitForBlobs waits for the restarted node's background sweep to leave
// exactly one blob file per object (every object here is one PUT).
func waitForBlobs(t *testing.T, dataDir string, objects int) {
	t.Helper()
	count := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(dataDir, "objects", "blobs"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".blob") {
				n++
			}
			return nil
		})
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for count() != objects {
		if time.Now().After(deadline) {
			t.Fatalf("%d blob files for %d objects after the startup sweep", count(), objects)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
