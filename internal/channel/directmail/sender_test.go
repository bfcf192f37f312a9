package directmail

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

func TestSendWritesRowsPerWindow(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s := newTestSender(t, cfg, clk)
	ctx := t.Context()

	r1, err := s.Send(ctx, mail("k1"))
	require.NoError(t, err)
	require.Equal(t, channel.Receipt{ProviderID: "nto-directmail-2026-11-25", Status: "sent", Detail: "row 1"}, r1)
	_, err = s.Send(ctx, mail("k2"))
	require.NoError(t, err)

	// Still the window of 11-25: one open batch, nothing closed yet.
	require.Equal(t, []string{"nto-directmail-2026-11-25.csv.open"}, dirNames(t, cfg.Dir))
	recs := readCSV(t, openPath(cfg, "2026-11-25"))
	require.Equal(t, []string{"key", "profile_id", "name", "address_line1", "address_line2", "city", "state",
		"postal_code", "country", "body", "offer_code"}, recs[0])
	require.Equal(t, []string{"k1", "p-k1", "Ann Lee", "12 Elm St", "Apt 4", "Denver", "CO", "80202", "US",
		"Dear Ann,\nyour autumn catalog is here.", "FALL26"}, recs[1])
	require.Equal(t, []string{"k1", "k2"}, keysOf(recs))

	// Past midnight: the next Send closes 11-25 and starts 11-26.
	clk.Advance(2*time.Hour + time.Minute)
	r3, err := s.Send(ctx, mail("k3"))
	require.NoError(t, err)
	require.Equal(t, channel.Receipt{ProviderID: "nto-directmail-2026-11-26", Status: "sent", Detail: "row 1"}, r3)
	require.ElementsMatch(t, []string{"nto-directmail-2026-11-25.csv", "nto-directmail-2026-11-26.csv.open"}, dirNames(t, cfg.Dir))
	require.Equal(t, []string{"k1", "k2"}, keysOf(readCSV(t, closedPath(cfg, "2026-11-25"))))
	require.Equal(t, []string{"k3"}, keysOf(readCSV(t, openPath(cfg, "2026-11-26"))))

	// A key of the closed window is a new row in the open one (only the
	// open window is indexed; Lookup finds the old one).
	_, err = s.Send(ctx, mail("k1"))
	require.NoError(t, err)
	require.Equal(t, []string{"k3", "k1"}, keysOf(readCSV(t, openPath(cfg, "2026-11-26"))))
}

func TestSendSameKeyWritesOneRow(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s, err := New(cfg, clk, nil)
	require.NoError(t, err)
	ctx := t.Context()

	first, err := s.Send(ctx, mail("k1"))
	require.NoError(t, err)
	_, err = s.Send(ctx, mail("k2"))
	require.NoError(t, err)
	again, err := s.Send(ctx, mail("k1"))
	require.NoError(t, err)
	require.Equal(t, first.ProviderID, again.ProviderID)
	require.Equal(t, "row 1: duplicate send key: already in the batch", again.Detail)
	require.Equal(t, []string{"k1", "k2"}, keysOf(readCSV(t, openPath(cfg, "2026-11-25"))))

	// A restart rebuilds the index from the file.
	require.NoError(t, s.Close())
	s2 := newTestSender(t, cfg, clk)
	again, err = s2.Send(ctx, mail("k2"))
	require.NoError(t, err)
	require.Equal(t, "row 2: duplicate send key: already in the batch", again.Detail)
	r3, err := s2.Send(ctx, mail("k3"))
	require.NoError(t, err)
	require.Equal(t, "row 3", r3.Detail)
	require.Equal(t, []string{"k1", "k2", "k3"}, keysOf(readCSV(t, openPath(cfg, "2026-11-25"))))
}

func TestSendRejectsMessagesItCannotMail(t *testing.T) {
	t.Parallel()
	without := func(keys ...string) channel.Message {
		m := mail("k1")
		for _, k := range keys {
			delete(m.Data, k)
		}
		return m
	}
	tests := []struct {
		name     string
		msg      channel.Message
		wantCode string
		wantErr  error
	}{
		{"no data at all", channel.Message{Key: "k1", ProfileID: "p1", Text: "hi"}, CodeNoPostalAddress, ErrNoPostalAddress},
		{"no street line", without(DataLine1), CodeNoPostalAddress, ErrNoPostalAddress},
		{"blank street line", func() channel.Message { m := mail("k1"); m.Data[DataLine1] = " \t"; return m }(), CodeNoPostalAddress, ErrNoPostalAddress},
		{"neither city nor postal code", without(DataCity, DataPostalCode), CodeNoPostalAddress, ErrNoPostalAddress},
		{"no send key", func() channel.Message { m := mail(""); return m }(), CodeNoKey, ErrNoKey},
	}
	cfg := testConfig(t)
	s := newTestSender(t, cfg, clock.NewManual(day1))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Send(t.Context(), tt.msg)
			require.ErrorIs(t, err, tt.wantErr)
			require.True(t, channel.IsPermanent(err))
			var ce *channel.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.wantCode, ce.Code)
		})
	}
	// Either the city or the postal code is enough.
	onlyZip := without(DataCity)
	_, err := s.Send(t.Context(), onlyZip)
	require.NoError(t, err)
	require.Equal(t, []string{"k1"}, keysOf(readCSV(t, openPath(cfg, "2026-11-25"))))
}

func TestSendCleansFieldsAndAddsConfiguredColumns(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Fields = []string{"creative"}
	s := newTestSender(t, cfg, clock.NewManual(day1))
	m := mail("k1")
	m.Text = ""
	m.Body = []byte("Line one,\r\n\"quoted\"\x00 line two")
	m.Data[DataLine1] = "  12   Elm\tSt\n"
	m.Data[DataFirstName] = ""
	m.Data["creative"] = "A/B"
	_, err := s.Send(t.Context(), m)
	require.NoError(t, err)
	recs := readCSV(t, openPath(cfg, "2026-11-25"))
	require.Equal(t, "creative", recs[0][11])
	row := recs[1]
	require.Equal(t, "Lee", row[2], "name without a first name")
	require.Equal(t, "12 Elm St", row[3], "address lines are single lines")
	require.Equal(t, "Line one,\n\"quoted\" line two", row[9], "body from Message.Body, CRLF made LF, NUL dropped")
	require.Equal(t, "A/B", row[11])
}

func TestNewRepairsTornLastRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tail string
	}{
		{"half an unquoted row", "k9,p-k9,Ann Le"},
		{"inside a quoted multi-line body", "k9,p-k9,Ann Lee,12 Elm St,Apt 4,Denver,CO,80202,US,\"Dear Ann,\nyour au"},
		{"every field but the newline", "k9,p-k9,Ann Lee,12 Elm St,Apt 4,Denver,CO,80202,US,hi,FALL26"},
		{"zeros from a lost page", "\x00\x00\x00\x00"},
		{"too few fields with a newline", "k9,p-k9\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t)
			clk := clock.NewManual(day1)
			s, err := New(cfg, clk, nil)
			require.NoError(t, err)
			_, err = s.Send(t.Context(), mail("k1"))
			require.NoError(t, err)
			_, err = s.Send(t.Context(), mail("k2"))
			require.NoError(t, err)
			require.NoError(t, s.Close())
			path := openPath(cfg, "2026-11-25")
			good, err := os.ReadFile(path)
			require.NoError(t, err)

			// The crash: a row half written.
			require.NoError(t, os.WriteFile(path, append(append([]byte(nil), good...), tt.tail...), 0o644))

			s2 := newTestSender(t, cfg, clk)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(good), string(got), "cut back to the complete rows")
			r, err := s2.Send(t.Context(), mail("k2"))
			require.NoError(t, err)
			require.Contains(t, r.Detail, "duplicate", "the index survived")
			_, err = s2.Send(t.Context(), mail("k9"))
			require.NoError(t, err)
			require.Equal(t, []string{"k1", "k2", "k9"}, keysOf(readCSV(t, path)))
		})
	}
}

func TestNewRewritesATornHeader(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Prefix = DefaultPrefix
	path := openPath(cfg, "2026-11-25")
	require.NoError(t, os.WriteFile(path, []byte("key,profile_i"), 0o644))
	s := newTestSender(t, cfg, clock.NewManual(day1))
	_, err := s.Send(t.Context(), mail("k1"))
	require.NoError(t, err)
	recs := readCSV(t, path)
	require.Equal(t, baseColumns, recs[0])
	require.Equal(t, []string{"k1"}, keysOf(recs))
}

func TestNewClosesWindowsThatAreOver(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s, err := New(cfg, clk, nil)
	require.NoError(t, err)
	_, err = s.Send(t.Context(), mail("k1"))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	// A torn row and a restart two days later.
	f, err := os.OpenFile(openPath(cfg, "2026-11-25"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("k2,p-k2,An")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	clk.Advance(48 * time.Hour)
	newTestSender(t, cfg, clk)
	require.Equal(t, []string{"nto-directmail-2026-11-25.csv"}, dirNames(t, cfg.Dir))
	require.Equal(t, []string{"k1"}, keysOf(readCSV(t, closedPath(cfg, "2026-11-25"))))
}

func TestChangedColumnsCloseTheWindowEarly(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s, err := New(cfg, clk, nil)
	require.NoError(t, err)
	_, err = s.Send(t.Context(), mail("k1"))
	require.NoError(t, err)
	require.NoError(t, s.Close())

	cfg.Fields = []string{"creative"}
	s2, err := New(cfg, clk, nil)
	require.NoError(t, err)
	_, err = s2.Send(t.Context(), mail("k2"))
	require.NoError(t, err)
	clk.Advance(3 * time.Hour)
	require.NoError(t, s2.CloseExpired(t.Context()))
	require.NoError(t, s2.Close())

	require.ElementsMatch(t, []string{"nto-directmail-2026-11-25.csv", "nto-directmail-2026-11-25-2.csv"}, dirNames(t, cfg.Dir))
	require.Equal(t, []string{"k1"}, keysOf(readCSV(t, closedPath(cfg, "2026-11-25"))))
	second := readCSV(t, closedPath(cfg, "2026-11-25-2"))
	require.Equal(t, "creative", second[0][11])
	require.Equal(t, []string{"k2"}, keysOf(second))
}

func TestRunClosesBatchesAtWindowEnd(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Window = Duration(6 * time.Hour)
	clk := clock.NewManual(day1) // window 18:00-24:00
	s := newTestSender(t, cfg, clk)
	_, err := s.Send(t.Context(), mail("k1"))
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	final := closedPath(cfg, "2026-11-25T1800Z")
	require.Eventually(t, func() bool {
		clk.Advance(30 * time.Minute)
		_, err := os.Stat(final)
		return err == nil
	}, 5*time.Second, time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	require.Equal(t, []string{"k1"}, keysOf(readCSV(t, final)))
	require.Equal(t, []string{"nto-directmail-2026-11-25T1800Z.csv"}, dirNames(t, cfg.Dir))
}

func TestLookupFindsKeysInOpenAndClosedBatches(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s := newTestSender(t, cfg, clk)
	ctx := t.Context()
	_, err := s.Send(ctx, mail("k1"))
	require.NoError(t, err)
	clk.Advance(3 * time.Hour)
	_, err = s.Send(ctx, mail("k2"))
	require.NoError(t, err)

	tests := []struct {
		name      string
		key       string
		since     time.Time
		wantFound bool
		wantBatch string
	}{
		{"open window", "k2", day1, true, "nto-directmail-2026-11-26"},
		{"closed window that ended after since", "k1", day1.Add(-time.Hour), true, "nto-directmail-2026-11-25"},
		{"closed window that ended before since", "k1", day1.Add(3 * time.Hour), false, ""},
		{"unknown key", "k7", day1.Add(-48 * time.Hour), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, found, err := s.Lookup(t.Context(), channel.Message{Key: tt.key}, tt.since)
			require.NoError(t, err)
			require.Equal(t, tt.wantFound, found)
			require.Equal(t, tt.wantBatch, r.ProviderID)
		})
	}
}

func TestOneSenderPerDirectory(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	clk := clock.NewManual(day1)
	s, err := New(cfg, clk, nil)
	require.NoError(t, err)
	_, err = New(cfg, clk, nil)
	require.ErrorIs(t, err, ErrDirInUse)

	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")
	_, err = s.Send(t.Context(), mail("k1"))
	require.ErrorIs(t, err, ErrClosed)
	require.False(t, channel.IsPermanent(err), "the dispatcher retries on the next sender")
	newTestSender(t, cfg, clk)
}

func TestSendConcurrently(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	s := newTestSender(t, cfg, clock.NewManual(day1))
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				// Workers share half of their keys: each key once in the file.
				key := fmt.Sprintf("k%d", i)
				if i%2 == 1 {
					key = fmt.Sprintf("w%d-%d", w, i)
				}
				if _, err := s.Send(t.Context(), mail(key)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	keys := keysOf(readCSV(t, openPath(cfg, "2026-11-25")))
	require.Len(t, keys, 13+8*12)
	seen := map[string]bool{}
	for _, k := range keys {
		require.False(t, seen[k], "key %s twice", k)
		seen[k] = true
	}
}

func TestSendHonoursContext(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	s := newTestSender(t, cfg, clock.NewManual(day1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Send(ctx, mail("k1"))
	require.ErrorIs(t, err, context.Canceled)
	_, err = os.Stat(openPath(cfg, "2026-11-25"))
	require.ErrorIs(t, err, os.ErrNotExist, "no batch is created for nothing")
}

func TestUnwritableBatchIsAChannelError(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	s := newTestSender(t, cfg, clock.NewManual(day1))
	// The directory is replaced by a file (permissions would not stop root).
	require.NoError(t, os.Rename(cfg.Dir, cfg.Dir+".old"))
	require.NoError(t, os.WriteFile(cfg.Dir, nil, 0o644))
	t.Cleanup(func() { _ = os.Remove(cfg.Dir); _ = os.Rename(cfg.Dir+".old", cfg.Dir) })
	_, err := s.Send(t.Context(), mail("k1"))
	require.ErrorIs(t, err, channel.ErrConfig)
	require.False(t, channel.IsPermanent(err))
}
