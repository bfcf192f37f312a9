package cli

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-cdp/cairn/internal/app"
	"github.com/stretchr/testify/require"
)

// startApp runs a real server for the CLI's online commands.
func startApp(t *testing.T) (url, dir string) {
	t.Helper()
	dir = t.TempDir()
	cfg := app.Config{DataDir: dir, ClockMode: "real", DedupeWindow: time.Hour, MaxBodyBytes: 1 << 20, BatchSize: 100}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		require.NoError(t, a.Close())
	})
	return "http://" + ln.Addr().String(), dir
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestOnlineCommands(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	code, key, errs := run(t, "sources", "create", "--url", url, "--data", dir, "--name", "nto-web", "--channel", "web")
	require.Equal(t, 0, code, errs)
	key = strings.TrimSpace(key)
	require.NotEmpty(t, key)

	code, out, errs := run(t, "sources", "list", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "nto-web")

	code, _, errs = run(t, "sources", "create", "--url", url, "--data", dir, "--name", "x", "--channel", "fax")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "channel")

	// Import a CSV through the running server, then read the profile back.
	csv := filepath.Join(t.TempDir(), "people.csv")
	require.NoError(t, os.WriteFile(csv, []byte("id,email,city\nu-1,pia@nto.example,Denver\n"), 0o600))
	code, _, errs = run(t, "import", csv, "--url", url, "--data", dir, "--source", "nto-web", "--id-column", "id",
		"--map", "email=email,city=address.city")
	require.Equal(t, 0, code, errs)

	for range 200 { // the processor runs asynchronously; poll (bounded)
		if code, out, errs = run(t, "profiles", "get", "email:pia@nto.example", "--url", url, "--data", dir, "-json"); code == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, `"city": "Denver"`)

	code, out, errs = run(t, "profiles", "events", "user_id:u-1", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "identify")

	code, _, errs = run(t, "profiles", "get", "user_id:ghost", "--url", url, "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errs, "user_id:ghost")

	code, out, errs = run(t, "bench", "ingest", "--url", url, "--write-key", key, "--events", "500", "--concurrency", "2", "--batch", "50")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "sent 500 events")
}

func TestUsage(t *testing.T) {
	t.Parallel()
	code, _, errs := run(t)
	require.Equal(t, 2, code)
	require.Contains(t, errs, "serve")
	code, _, errs = run(t, "nope")
	require.Equal(t, 2, code)
	require.Contains(t, errs, `unknown command "nope"`)
}

func TestOfflineCommandRefusesLockedFolder(t *testing.T) {
	t.Parallel()
	_, dir := startApp(t)
	code, _, errs := run(t, "rebuild", "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errs, "locked")
}

func TestStagesCommand(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	code, _, errs := run(t, "stages", "get", "--url", url, "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errs, "not_found")
	code, segID, errs := run(t, "segments", "create", "--url", url, "--data", dir, "--name", "buyers", "--text", `performed "Order Completed" within 30d`)
	require.Equal(t, 0, code, errs)
	model := filepath.Join(t.TempDir(), "model.json")
	require.NoError(t, os.WriteFile(model, []byte(`{"stages":[{"name":"purchase","segment_id":"`+strings.TrimSpace(segID)+`"}],"default":"awareness"}`), 0o600))
	code, out, errs := run(t, "stages", "set", "-f", model, "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "purchase")
	code, out, errs = run(t, "stages", "report", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "purchase")
}

func TestTraitsCommand(t *testing.T) {
	t.Parallel()
	url, dir := startApp(t)
	code, out, errs := run(t, "traits", "list", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "lifetime_revenue")
	def := filepath.Join(t.TempDir(), "def.json")
	require.NoError(t, os.WriteFile(def, []byte(`{"name":"views","kind":"count","event":"Product Viewed"}`), 0o600))
	code, out, errs = run(t, "traits", "set", "-f", def, "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "views")
	code, _, errs = run(t, "traits", "delete", "views", "--url", url, "--data", dir)
	require.Equal(t, 0, code, errs)
	code, _, errs = run(t, "traits", "delete", "views", "--url", url, "--data", dir)
	require.Equal(t, 1, code)
	require.Contains(t, errs, "not_found")
}

func TestParseBytes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1GiB", 1 << 30, true}, {"768MiB", 768 << 20, true}, {"64KiB", 64 << 10, true}, {"1000B", 1000, true},
		{"4096", 4096, true}, {"0", 0, false}, {"-1GiB", 0, false}, {"1.5GiB", 0, false}, {"lots", 0, false}, {"", 0, false}} {
		got, err := parseBytes(c.in)
		if c.ok {
			require.NoError(t, err, c.in)
			require.Equal(t, c.want, got, c.in)
		} else {
			require.Error(t, err, c.in)
		}
	}
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"1GiB", "768MiB", "12", "B", "9223372036854775807GiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseBytes(s)
		if err == nil && n <= 0 {
			t.Fatalf("parseBytes(%q) = %d without error", s, n)
		}
	})
}
