package clv_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

// cdnowDir holds the CDNOW reference files (see ../shared/datasets/README.md).
const cdnowDir = "../../../../shared/datasets/cdnow"

// week is the time unit of the published CDNOW results.
const week = 7 * 24 * time.Hour

var calibrationEnd = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)

// cdnowPath returns the path of a CDNOW reference file, skipping the test
// when the shared datasets are not checked out next to the repository.
func cdnowPath(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(cdnowDir, name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CAIRN_REQUIRE_DATASETS") == "1" {
			tb.Fatalf("reference dataset not available: %v", err)
		}
		tb.Skipf("reference dataset not available: %v", err)
	}
	return p
}

func cdnowTransactions(tb testing.TB) []clv.Transaction {
	tb.Helper()
	f, err := os.Open(cdnowPath(tb, "CDNOW_sample.txt"))
	require.NoError(tb, err)
	defer f.Close()
	txs, err := clv.ParseCDNOW(f)
	require.NoError(tb, err)
	return txs
}

// cdnowCustomers is the 39-week calibration summary of the CDNOW sample.
func cdnowCustomers(tb testing.TB) []clv.Customer {
	tb.Helper()
	cs, err := clv.Summarize(cdnowTransactions(tb), calibrationEnd, week)
	require.NoError(tb, err)
	return cs
}
