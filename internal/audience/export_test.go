package audience

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/clock"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/cairn-cdp/cairn/internal/store/sqlite"
)

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// env is a real SQLite state store and an Exporter over it.
type env struct {
	st  *sqlite.State
	dir string
	cp  int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	lg, st, err := sqlite.Open(t.Context(), t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, errors.Join(lg.Close(), st.Close())) })
	return &env{st: st, dir: filepath.Join(t.TempDir(), "audiences")}
}

func (e *env) exporter(t *testing.T, st Store, cfg Config) *Exporter {
	t.Helper()
	cfg.Dir = e.dir
	x, err := NewExporter(st, cfg, clock.NewManual(t0), nil)
	require.NoError(t, err)
	return x
}

func (e *env) apply(t *testing.T, b store.ProcessBatch) {
	t.Helper()
	e.cp++
	b.Checkpoint = e.cp
	require.NoError(t, e.st.Apply(t.Context(), &b))
}

func (e *env) read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, name))
	require.NoError(t, err)
	return string(b)
}

func prof(ids ...string) []store.Profile {
	var out []store.Profile
	for _, id := range ids {
		out = append(out, store.Profile{ID: id, FirstSeen: t0, LastSeen: t0, EventCount: 1})
	}
	return out
}

func ident(typ, value, pid string) store.Identity {
	return store.Identity{IdentityKey: store.IdentityKey{Type: typ, Value: value}, ProfileID: pid, FirstSeen: t0, LastSeen: t0}
}

func trait(pid, path string, value any) store.ProfileTrait {
	b, err := json.Marshal(value)
	if err != nil {
		panic(err)
	}
	return store.ProfileTrait{ProfileID: pid, Trait: store.Trait{Path: path, Value: b, Time: t0, SourceID: "crm"}}
}

func segMembers(seg string, pids ...string) []store.SegmentMember {
	var out []store.SegmentMember
	for _, p := range pids {
		out = append(out, store.SegmentMember{SegmentID: seg, ProfileID: p, Version: 1, Since: t0})
	}
	return out
}

// seed stores five profiles; p1-p4 are in segment vip, p5 in lapsed.
func (e *env) seed(t *testing.T) {
	t.Helper()
	e.apply(t, store.ProcessBatch{
		Profiles: prof("p1", "p2", "p3", "p4", "p5"),
		Identities: []store.Identity{
			ident("email", "ann.lee@gmail.com", "p1"), ident("phone", "+13035550101", "p1"),
			ident("email", "cy@example.com", "p3"),
			ident("user_id", "u4", "p4"),
			ident("email", "eve@example.com", "p5"),
		},
		Traits: []store.ProfileTrait{
			trait("p1", "first_name", "Ann"), trait("p1", "last_name", "Lee"), trait("p1", "address.country", "US"),
			trait("p1", "address.postal_code", "80202"), trait("p1", "address.city", "Denver"), trait("p1", "address.state", "CO"),
			// p2 is known by traits only, with a postal code written as a number.
			trait("p2", "email", "Bob@Example.com"), trait("p2", "phone", "(303) 555-0102"), trait("p2", "name", "Bob Stone"),
			trait("p2", "address.country", "US"), trait("p2", "address.postal_code", 80203),
		},
		SegmentJoins: append(segMembers("vip", "p1", "p2", "p3", "p4"), segMembers("lapsed", "p5")...),
	})
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func TestRefreshWritesFullAndDeltaFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed(t)
	x := e.exporter(t, e.st, Config{Formats: []string{FormatGoogle, FormatHashed}, PageSize: 2})
	ctx := t.Context()

	const gHead = "Email,Phone,First Name,Last Name,Country,Zip"
	p1 := sha("annlee@gmail.com") + "," + sha("+13035550101") + "," + sha("ann") + "," + sha("lee") + ",US,80202"
	p2 := sha("bob@example.com") + "," + sha("+13035550102") + "," + sha("bob") + "," + sha("stone") + ",US,80203"
	p3 := sha("cy@example.com") + ",,,,,"

	st, err := x.Refresh(ctx, "vip")
	require.NoError(t, err)
	require.Equal(t, Stats{SegmentID: "vip", At: t0, Members: 4, Added: 4, Formats: []FormatStats{
		{Format: "google", File: "vip-google.csv", Members: 3, Rows: 3, AddedRows: 3},
		{Format: "hashed", File: "vip-hashed.csv", Members: 3, Rows: 5, AddedRows: 5},
	}}, st)
	require.Equal(t, lines(gHead, p1, p2, p3), e.read(t, "vip-google.csv"))
	require.Equal(t, lines(gHead, p1, p2, p3), e.read(t, "vip-google-added.csv"), "the first export adds everyone")
	require.Equal(t, lines(gHead), e.read(t, "vip-google-removed.csv"))
	require.Equal(t, lines("identifier_type,sha256",
		"email,"+sha("ann.lee@gmail.com"), "phone,"+sha("+13035550101"),
		"email,"+sha("bob@example.com"), "phone,"+sha("+13035550102"),
		"email,"+sha("cy@example.com")), e.read(t, "vip-hashed.csv"))
	state := []string{sha("p1"), sha("p2"), sha("p3"), sha("p4")}
	slices.Sort(state)
	require.Equal(t, lines(state...), e.read(t, "vip.members"))

	// p2 leaves, p5 joins, p1 moves.
	e.apply(t, store.ProcessBatch{
		Traits:        []store.ProfileTrait{trait("p1", "address.postal_code", "80210-1234")},
		SegmentLeaves: segMembers("vip", "p2"),
		SegmentJoins:  segMembers("vip", "p5"),
	})
	st, err = x.Refresh(ctx, "vip")
	require.NoError(t, err)
	require.Equal(t, 4, st.Members)
	require.Equal(t, 1, st.Added)
	require.Equal(t, 1, st.Removed)
	require.Equal(t, FormatStats{Format: "google", File: "vip-google.csv", Members: 3, Rows: 3, AddedRows: 2, RemovedRows: 2}, st.Formats[0])
	p1moved := strings.Replace(p1, ",80202", ",80210-1234", 1)
	p5 := sha("eve@example.com") + ",,,,,"
	require.Equal(t, lines(gHead, p1moved, p3, p5), e.read(t, "vip-google.csv"))
	require.Equal(t, lines(gHead, p1moved, p5), e.read(t, "vip-google-added.csv"))
	removed := []string{p1, p2}
	slices.Sort(removed) // sorted by content
	require.Equal(t, lines(append([]string{gHead}, removed...)...), e.read(t, "vip-google-removed.csv"))
	require.Equal(t, lines("identifier_type,sha256",
		"email,"+sha("bob@example.com"), "phone,"+sha("+13035550102")), e.read(t, "vip-hashed-removed.csv"),
		"a hashed row changes only when its identifier goes")

	// Nothing changed: empty deltas.
	st, err = x.Refresh(ctx, "vip")
	require.NoError(t, err)
	require.Zero(t, st.Added+st.Removed)
	require.Equal(t, lines(gHead), e.read(t, "vip-google-added.csv"))
	require.Equal(t, lines(gHead), e.read(t, "vip-google-removed.csv"))
	require.Equal(t, lines(gHead, p1moved, p3, p5), e.read(t, "vip-google.csv"))

	ents, err := os.ReadDir(e.dir)
	require.NoError(t, err)
	var names []string
	for _, de := range ents {
		names = append(names, de.Name())
	}
	require.ElementsMatch(t, []string{"vip-google.csv", "vip-google-added.csv", "vip-google-removed.csv",
		"vip-hashed.csv", "vip-hashed-added.csv", "vip-hashed-removed.csv", "vip.members"}, names, "no temporary file left")
}

func TestRefreshOfAnEmptiedSegmentRemovesEveryone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed(t)
	x := e.exporter(t, e.st, Config{})
	_, err := x.Refresh(t.Context(), "vip")
	require.NoError(t, err)
	before := e.read(t, "vip-meta.csv")
	e.apply(t, store.ProcessBatch{SegmentLeaves: segMembers("vip", "p1", "p2", "p3", "p4")})
	st, err := x.Refresh(t.Context(), "vip")
	require.NoError(t, err)
	require.Equal(t, 0, st.Members)
	require.Equal(t, 4, st.Removed)
	require.Len(t, st.Formats, 3, "google, meta and hashed by default")
	const mHead = "email,phone,fn,ln,zip,ct,st,country"
	require.Equal(t, lines(mHead), e.read(t, "vip-meta.csv"))
	gone := strings.Split(strings.TrimSuffix(before, "\n"), "\n")[1:]
	slices.Sort(gone)
	require.Equal(t, lines(append([]string{mHead}, gone...)...), e.read(t, "vip-meta-removed.csv"))
	require.Equal(t, "", e.read(t, "vip.members"))
}

// failingStore is the real store with a fault injected: SegmentMembers
// fails after the first page.
type failingStore struct {
	Store
	calls int
}

func (f *failingStore) SegmentMembers(ctx context.Context, seg, after string, limit int) ([]store.SegmentMember, error) {
	if f.calls++; f.calls > 1 {
		return nil, errors.New("disk I/O error")
	}
	return f.Store.SegmentMembers(ctx, seg, after, limit)
}

func TestRefreshFailureKeepsThePreviousFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed(t)
	_, err := e.exporter(t, e.st, Config{Formats: []string{FormatGoogle}}).Refresh(t.Context(), "vip")
	require.NoError(t, err)
	full, state := e.read(t, "vip-google.csv"), e.read(t, "vip.members")

	e.apply(t, store.ProcessBatch{SegmentLeaves: segMembers("vip", "p1")})
	x := e.exporter(t, &failingStore{Store: e.st}, Config{Formats: []string{FormatGoogle}, PageSize: 2})
	_, err = x.Refresh(t.Context(), "vip")
	require.ErrorContains(t, err, "read members of segment vip: disk I/O error")
	require.Equal(t, full, e.read(t, "vip-google.csv"))
	require.Equal(t, state, e.read(t, "vip.members"))
	matches, err := filepath.Glob(filepath.Join(e.dir, ".*.tmp"))
	require.NoError(t, err)
	require.Empty(t, matches)
}

func TestRefreshRejectsIDsThatCannotNameFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := e.exporter(t, e.st, Config{})
	for _, id := range []string{"", "../etc", "a/b", ".hidden", "with space"} {
		_, err := x.Refresh(t.Context(), id)
		require.ErrorContains(t, err, "cannot name an audience file", id)
	}
}

func TestExporterConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"defaults", Config{Dir: "d"}, ""},
		{"all options", Config{Dir: "d", Formats: []string{"meta"}, DefaultRegion: "gb", PageSize: 10}, ""},
		{"no dir", Config{}, "dir is required"},
		{"unknown format", Config{Dir: "d", Formats: []string{"csv"}}, `unknown audience format "csv"`},
		{"bad region", Config{Dir: "d", DefaultRegion: "Britain"}, "default_region"},
		{"negative page", Config{Dir: "d", PageSize: -1}, "page_size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestMemberOf(t *testing.T) {
	t.Parallel()
	raw := func(v string) json.RawMessage { return json.RawMessage(v) }
	m := memberOf("p1", []store.Identity{ident("email", "a@x.com", "p1"), ident("phone", "+15555550100", "p1"), ident("user_id", "u1", "p1")},
		[]store.Trait{
			{Path: "email", Value: raw(`"b@x.com"`)}, {Path: "name", Value: raw(`"Mary Ann Lee"`)},
			{Path: "country", Value: raw(`"FR"`)}, {Path: "address.country", Value: raw(`"US"`)},
			{Path: "zip", Value: raw(`2134`)}, {Path: "city", Value: raw(`{"not":"text"}`)},
		})
	require.Equal(t, Member{ProfileID: "p1", Emails: []string{"a@x.com", "b@x.com"}, Phones: []string{"+15555550100"},
		FirstName: "Mary Ann", LastName: "Lee", Country: "US", PostalCode: "2134"}, m)
}
