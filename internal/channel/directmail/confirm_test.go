package directmail

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
)

func TestParseConfirmations(t *testing.T) {
	t.Parallel()
	nov26 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		in       string
		want     []Confirmation
		wantErr  string // a fatal error: no rows
		wantBad  []string
		wantRows int
	}{
		{
			name: "the documented columns",
			in: "key,status,date,reason\n" +
				"k1,delivered,2026-11-26,\n" +
				"k2,returned,2026-11-27 10:30:00,MOVED LEFT NO ADDRESS\n" +
				"k3,undeliverable,2026-11-28T08:00:00-05:00,\"NO SUCH\n NUMBER\"\n",
			want: []Confirmation{
				{Key: "k1", Status: StatusDelivered, At: nov26, Line: 2},
				{Key: "k2", Status: StatusReturned, At: time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC), Reason: "MOVED LEFT NO ADDRESS", Line: 3},
				{Key: "k3", Status: StatusUndeliverable, At: time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC), Reason: "NO SUCH NUMBER", Line: 4},
			},
		},
		{
			name: "any order, any case, a BOM, extra columns, CRLF",
			in:   "\ufeffReason,Vendor Ref, STATUS ,Key\r\n,v-1,Delivered,k1\r\n",
			want: []Confirmation{{Key: "k1", Status: StatusDelivered, Line: 2}},
		},
		{
			name: "only key and status",
			in:   "key,status\nk1,delivered\n",
			want: []Confirmation{{Key: "k1", Status: StatusDelivered, Line: 2}},
		},
		{
			name: "bad rows are reported, good rows kept",
			in: "key,status,date\n" +
				"k1,delivered,2026-11-26\n" +
				",delivered,2026-11-26\n" +
				"k3,lost,2026-11-26\n" +
				"k4,returned,26/11/2026\n" +
				"k5,returned\n" +
				"k6,\"returned,2026-11-26\n",
			want:    []Confirmation{{Key: "k1", Status: StatusDelivered, At: nov26, Line: 2}},
			wantBad: []string{"line 3:", "empty key", "line 4:", `status "lost"`, "line 5:", `date "26/11/2026"`, "line 6:", "2 fields where the header has 3", "line 7:"},
		},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "no status column", in: "key,date\nk1,2026-11-26\n", wantErr: "lacks a key or status column"},
		{name: "no key column", in: "status\ndelivered\n", wantErr: "lacks a key or status column"},
		{name: "a column twice", in: "key,status,Key\n", wantErr: `column "key" twice`},
		{name: "header only", in: "key,status\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseConfirmations(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Nil(t, got)
				return
			}
			require.Equal(t, tt.want, got)
			if len(tt.wantBad) == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrBadRow)
			for _, s := range tt.wantBad {
				require.ErrorContains(t, err, s)
			}
		})
	}
}

func TestParseConfirmationsCapsReportedRows(t *testing.T) {
	t.Parallel()
	in := "key,status\n" + strings.Repeat("k,lost\n", 30)
	_, err := ParseConfirmations(strings.NewReader(in))
	require.ErrorIs(t, err, ErrBadRow)
	require.ErrorContains(t, err, "and 10 more bad rows")
}

func TestConfirmationFeedback(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   Confirmation
		want channel.Feedback
	}{
		{"delivered", Confirmation{Key: "k1", Status: StatusDelivered, At: at},
			channel.Feedback{Type: channel.Delivered, Channel: channel.DirectMail, Key: "k1", At: at}},
		{"returned with a reason", Confirmation{Key: "k2", Status: StatusReturned, Reason: "MOVED", At: at},
			channel.Feedback{Type: channel.Failed, Channel: channel.DirectMail, Key: "k2", Hard: true, Reason: "returned: MOVED", At: at}},
		{"undeliverable", Confirmation{Key: "k3", Status: StatusUndeliverable},
			channel.Feedback{Type: channel.Failed, Channel: channel.DirectMail, Key: "k3", Hard: true, Reason: "undeliverable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.in.Feedback())
		})
	}
}
