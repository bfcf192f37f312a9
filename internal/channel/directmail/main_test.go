package directmail

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// TestMain checks that no test leaves a goroutine behind (Run).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// day1 is 22:00 UTC on 2026-11-25: two hours before a daily window ends.
var day1 = time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)

func testConfig(tb testing.TB) Config {
	tb.Helper()
	return Config{Dir: tb.TempDir(), Prefix: "nto-directmail"}
}

func newTestSender(tb testing.TB, cfg Config, clk clock.Clock) *Sender {
	tb.Helper()
	s, err := New(cfg, clk, nil)
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, s.Close()) })
	return s
}

// mail is a direct-mail message to a full US address.
func mail(key string) channel.Message {
	return channel.Message{
		Key:       key,
		Channel:   channel.DirectMail,
		ProfileID: "p-" + key,
		Text:      "Dear Ann,\nyour autumn catalog is here.",
		Data: map[string]string{
			DataFirstName: "Ann", DataLastName: "Lee",
			DataLine1: "12 Elm St", DataLine2: "Apt 4",
			DataCity: "Denver", DataState: "CO", DataPostalCode: "80202", DataCountry: "US",
			DataOfferCode: "FALL26",
		},
	}
}

// readCSV returns every record of the CSV file at path.
func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	require.NoError(tb, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(tb, err)
	return recs
}

// keysOf returns the key column of a batch's data rows.
func keysOf(recs [][]string) []string {
	var out []string
	for _, r := range recs[1:] {
		out = append(out, r[0])
	}
	return out
}

// dirNames lists the file names in dir (without the lock file).
func dirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(tb, err)
	var out []string
	for _, e := range ents {
		if e.Name() != ".lock" {
			out = append(out, e.Name())
		}
	}
	return out
}

func openPath(cfg Config, stamp string) string {
	return filepath.Join(cfg.Dir, cfg.Prefix+"-"+stamp+".csv.open")
}

func closedPath(cfg Config, stamp string) string {
	return filepath.Join(cfg.Dir, cfg.Prefix+"-"+stamp+".csv")
}
