// Package clitest runs the real grantd binary and the real aws CLI against
// each other, as users do. Tests call Start to run `grantd serve` on a free
// port with a fresh data directory and AWS to run `aws …` against it.
//
// The aws CLI is required when GRANTD_REQUIRE_AWSCLI=1 (as in CI); without
// it and without that variable the tests skip.
package clitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Root keys of the management account of every test server.
const (
	Account         = "111122223333"
	RootAccessKeyID = "AKIAIOSFODNN7EXAMPLE"
	RootSecret      = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// Binary builds cmd/grantd once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "grantd-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "grantd")
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		cmd := exec.Command("go", "build", "-o", binary, "./cmd/grantd")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// RequireCLI skips t, or fails it under GRANTD_REQUIRE_AWSCLI=1, when the
// aws CLI is not installed.
func RequireCLI(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("GRANTD_REQUIRE_AWSCLI") == "1" {
			t.Fatal("the aws CLI is required (GRANTD_REQUIRE_AWSCLI=1) but not installed")
		}
		t.Skip("the aws CLI is not installed")
	}
}

// Server is a running `grantd serve` process.
type Server struct {
	Endpoint string
	Port     string
	DataDir  string
	cmd      *exec.Cmd
	stderr   *bytes.Buffer
	done     chan struct{}
}

// Options configure Start.
type Options struct {
	// DataDir reuses a data directory; empty means a fresh one.
	DataDir string
	// Env adds environment variables for the server.
	Env []string
	// Args adds flags to `grantd serve`.
	Args []string
}

// Start runs `grantd serve` until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := Binary(t)
	if o.DataDir == "" {
		o.DataDir = filepath.Join(t.TempDir(), "data")
	}
	port := freePort(t)
	s := &Server{Port: port, Endpoint: "http://127.0.0.1:" + port, DataDir: o.DataDir, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	args := append([]string{"serve", "--data-dir", o.DataDir, "--listen", "127.0.0.1:" + port}, o.Args...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(os.Environ(), "GRANTD_ROOT_ACCESS_KEY_ID="+RootAccessKeyID, "GRANTD_ROOT_SECRET_ACCESS_KEY="+RootSecret)
	s.cmd.Env = append(s.cmd.Env, o.Env...)
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				ready <- true
			}
		}
		ready <- false
	}()
	go func() { s.cmd.Wait(); close(s.done) }()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("grantd serve exited before listening:\n%s", s.stderr.String())
		}
	case <-time.After(30 * time.Second):
		s.Kill()
		t.Fatalf("grantd serve did not start:\n%s", s.stderr.String())
	}
	t.Cleanup(func() { s.Stop(t) })
	return s
}

// Stop sends SIGTERM and waits for a clean exit.
func (s *Server) Stop(t testing.TB) {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		if code := s.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("grantd serve exited with %d:\n%s", code, s.stderr.String())
		}
	case <-time.After(30 * time.Second):
		s.Kill()
		t.Errorf("grantd serve did not stop on SIGTERM")
	}
}

// Kill ends the server with SIGKILL, as a crash would.
func (s *Server) Kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// PeakRSS returns the server process's peak resident set size in bytes
// (VmHWM of /proc/PID/status; Linux only).
func (s *Server) PeakRSS() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				return 0, err
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", s.cmd.Process.Pid)
}

// Logs returns what the server wrote to stderr so far.
func (s *Server) Logs() string { return s.stderr.String() }

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// Creds are credentials for the aws CLI.
type Creds struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// RootCreds are the management account's root keys.
var RootCreds = Creds{AccessKeyID: RootAccessKeyID, SecretAccessKey: RootSecret}

// Result is one aws CLI run.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
}

// JSON decodes the run's standard output into v.
func (r Result) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		t.Fatalf("aws output is not JSON: %v\n%s", err, r.Stdout)
	}
}

// AWS runs the aws CLI with creds against the server and returns what it
// printed. The CLI's own config files are isolated from the user's. S3
// Control calls get the forward-proxy treatment of the README: the CLI
// prepends the account ID to the endpoint's host, so the server is used as
// an HTTP proxy and the endpoint is named by a host name that need not
// resolve.
func (s *Server) AWS(t testing.TB, creds Creds, args ...string) Result {
	t.Helper()
	return s.AWSEnv(t, creds, nil, args...)
}

// AWSEnv is AWS with extra environment variables for the CLI; they win
// over the harness's own (AWS_CONFIG_FILE, for one).
func (s *Server) AWSEnv(t testing.TB, creds Creds, extra []string, args ...string) Result {
	t.Helper()
	RequireCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	endpoint := s.Endpoint
	env := []string{"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard", "HOME=" + os.TempDir(), "PATH=" + os.Getenv("PATH")}
	if creds.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+creds.SessionToken)
	}
	if len(args) > 0 && args[0] == "s3control" {
		endpoint = "http://localhost:" + s.Port
		env = append(env, "HTTP_PROXY=http://127.0.0.1:"+s.Port, "NO_PROXY=")
	}
	cmd := exec.CommandContext(ctx, "aws", append(args, "--endpoint-url", endpoint, "--output", "json")...)
	cmd.Env = append(env, extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			res.ExitCode = ee.ExitCode()
		} else {
			t.Fatalf("run aws: %v", err)
		}
	}
	return res
}

// MustAWS is AWS, failing the test unless the command succeeds.
func (s *Server) MustAWS(t testing.TB, creds Creds, args ...string) Result {
	t.Helper()
	res := s.AWS(t, creds, args...)
	if res.ExitCode != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), res.ExitCode, res.Stderr)
	}
	return res
}

// Grantd runs the grantd binary with args (offline commands).
func Grantd(t testing.TB, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(Binary(t), args...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), fmt.Errorf("%v: %s", err, ee.Stderr)
	}
	return string(out), err
}
