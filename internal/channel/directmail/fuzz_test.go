package directmail

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzParseConfirmations(f *testing.F) {
	f.Add("key,status,date,reason\nk1,delivered,2026-11-26,\nk2,returned,2026-11-27 10:30:00,MOVED\n")
	f.Add("\ufeffStatus,Key\r\nundeliverable,k1\r\n")
	f.Add("key,status\n\"k1\nx\",delivered\n,returned\n")
	f.Add("key,status,date\nk1,delivered,2026-11-28T08:00:00-05:00\nk2,lost,\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseConfirmations(strings.NewReader(in))
		for _, c := range got {
			require.NotEmpty(t, c.Key)
			require.Equal(t, strings.TrimSpace(c.Key), c.Key)
			require.Contains(t, []Status{StatusDelivered, StatusReturned, StatusUndeliverable}, c.Status)
			require.Positive(t, c.Line)
			fb := c.Feedback()
			require.Equal(t, c.Key, fb.Key)
			require.Equal(t, c.Status != StatusDelivered, fb.Hard)
		}
		if err != nil && len(got) > 0 {
			require.ErrorIs(t, err, ErrBadRow, "only row errors come with rows")
		}
		if err != nil || len(got) == 0 {
			return
		}
		// What parsed writes back and parses the same.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		require.NoError(t, w.Write([]string{"key", "status", "date", "reason"}))
		for _, c := range got {
			date := ""
			if !c.At.IsZero() {
				date = c.At.Format("2006-01-02T15:04:05.999999999Z07:00")
			}
			require.NoError(t, w.Write([]string{c.Key, string(c.Status), date, c.Reason}))
		}
		w.Flush()
		back, err := ParseConfirmations(&buf)
		require.NoError(t, err)
		require.Len(t, back, len(got))
		for i := range got {
			require.Equal(t, got[i].Key, back[i].Key)
			require.Equal(t, got[i].Status, back[i].Status)
			require.True(t, got[i].At.Equal(back[i].At))
			require.Equal(t, got[i].Reason, back[i].Reason)
		}
	})
}

// FuzzRepair appends any tail to a batch of complete rows: repair keeps
// every complete row and leaves a file that scans clean to its end.
func FuzzRepair(f *testing.F) {
	f.Add([]byte("k9,p9,Ann Le"))
	f.Add([]byte("k9,p9,\"a\nb"))
	f.Add([]byte("\x00\x00\x00"))
	f.Add([]byte("k9,p9,Ann,l1,l2,c,s,z,US,b,o\nk10,p"))
	f.Add([]byte("k9,p9,Ann,l1,l2,c,s,z,US,b,o\n"))
	f.Fuzz(func(t *testing.T, tail []byte) {
		var good []byte
		for _, rec := range [][]string{baseColumns, {"k1", "p1", "Ann", "1 Elm", "", "Denver", "CO", "80202", "US", "hi,\n\"there\"", ""}} {
			var err error
			good, err = encodeRow(good, rec)
			require.NoError(t, err)
		}
		path := filepath.Join(t.TempDir(), "b.csv.open")
		require.NoError(t, os.WriteFile(path, append(append([]byte(nil), good...), tail...), 0o644))
		require.NoError(t, repairFile(path, discard))
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(got, good), "a complete row was cut")
		sc, size, err := scanFile(path)
		require.NoError(t, err)
		require.Equal(t, size, sc.valid)
		require.Equal(t, baseColumns, sc.header)
		require.Contains(t, sc.keys, "k1")
		if len(got) > len(good) {
			require.Equal(t, byte('\n'), got[len(got)-1])
		}
	})
}
