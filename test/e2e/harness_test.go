package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// adminToken is the management API token every test server gets through
// CAIRN_ADMIN_TOKEN.
const adminToken = "e2e-admin-token-5d1f0c"

// Bounds of the polling loops. They are generous: a loop ends as soon as its
// condition holds, so only a broken server ever waits this long.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 20 * time.Second
	pollInterval = 10 * time.Millisecond
)

// cairnBin is the binary TestMain built; empty with -short.
var cairnBin string

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if testing.Short() {
		return m.Run() // every test skips through requireBinary
	}
	dir, err := os.MkdirTemp("", "cairn-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: make temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin, err := buildCairn(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	cairnBin = bin
	return m.Run()
}

// buildCairn builds ./cmd/cairn of the enclosing module into dir.
func buildCairn(dir string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module root with 'go env GOMOD': %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if root == "." || root == "" {
		return "", errors.New("find the module root: 'go env GOMOD' printed nothing; run the tests inside the cairn module")
	}
	bin := filepath.Join(dir, "cairn")
	args := []string{"build", "-o", bin}
	if os.Getenv("CAIRN_E2E_RACE") == "1" {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "./cmd/cairn")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the cairn binary in %s: %w\n%s", root, err, out)
	}
	return bin, nil
}

func requireBinary(t testing.TB) {
	t.Helper()
	if cairnBin == "" {
		t.Skip("end-to-end tests start the real binary; skipped with -short")
	}
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine of exec.Cmd and
// the test reading it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one running `cairn serve` process.
type server struct {
	t      testing.TB
	dir    string
	url    string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{} // closed once the process is reaped
	err    error         // cmd.Wait's result, set before exited closes
	http   *http.Client
}

// listenRE finds the address in the server's "listening" log line.
var listenRE = regexp.MustCompile(`msg=listening url=(http://\S+)`)

// startServer starts `cairn serve` on dir and a free loopback port and waits
// until /healthz answers. The process is killed when the test ends if it is
// still running; its stderr is logged if the test failed.
func startServer(t testing.TB, dir string, extra ...string) *server {
	t.Helper()
	requireBinary(t)
	args := append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, extra...)
	s := &server{
		t: t, dir: dir, stderr: &syncBuffer{}, exited: make(chan struct{}),
		http: &http.Client{Timeout: 30 * time.Second},
	}
	s.cmd = exec.Command(cairnBin, args...)
	s.cmd.Env = append(os.Environ(), "CAIRN_ADMIN_TOKEN="+adminToken)
	s.cmd.Stdout = s.stderr
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %s %s: %v", cairnBin, strings.Join(args, " "), err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			t.Logf("stderr of cairn serve --data %s:\n%s", dir, s.stderr.String())
		}
	})
	poll(t, startTimeout, s.exited, "the server to log its listen address", func() (bool, string) {
		m := listenRE.FindStringSubmatch(s.stderr.String())
		if m == nil {
			return false, "no 'msg=listening url=…' line on stderr yet"
		}
		s.url = m[1]
		return true, ""
	})
	poll(t, startTimeout, s.exited, "GET /healthz to answer 200", func() (bool, string) {
		res, err := s.http.Get(s.url + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK, res.Status
	})
	return s
}

// stop sends SIGTERM and requires a clean exit (status 0) within stopTimeout.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !s.hasExited() {
		s.t.Fatalf("send SIGTERM to the server: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.kill()
		s.t.Fatalf("the server did not exit within %s of SIGTERM (killed it)", stopTimeout)
	}
	if s.err != nil {
		s.t.Fatalf("the server did not stop cleanly on SIGTERM: %v", s.err)
	}
}

// kill sends SIGKILL (a crash: nothing is flushed) and reaps the process.
func (s *server) kill() {
	if s.hasExited() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

func (s *server) hasExited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// poll checks cond every pollInterval until it holds, failing the test after
// timeout or as soon as dead (a process's exit channel; nil for none) closes.
// cond returns whether it holds and, when not, why (shown on failure).
func poll(t testing.TB, timeout time.Duration, dead <-chan struct{}, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		ok, why := cond()
		if ok {
			return
		}
		select {
		case <-dead:
			if ok, _ := cond(); ok {
				return
			}
			t.Fatalf("waiting for %s: the server exited (last: %s)", what, why)
		case <-deadline.C:
			t.Fatalf("waiting for %s: gave up after %s (last: %s)", what, timeout, why)
		case <-tick.C:
		}
	}
}

// cliResult is the outcome of one CLI run.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the cairn binary with args (the admin token in its
// environment) and returns its exit code and output. It fails the test if the
// command does not finish within timeout.
func runCLI(t testing.TB, timeout time.Duration, args ...string) cliResult {
	t.Helper()
	requireBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, cairnBin, args...)
	cmd.Env = append(os.Environ(), "CAIRN_ADMIN_TOKEN="+adminToken)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("cairn %s did not finish within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), timeout, out.String(), errb.String())
	}
	res := cliResult{stdout: out.String(), stderr: errb.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("run cairn %s: %v", strings.Join(args, " "), err)
	}
	return res
}
