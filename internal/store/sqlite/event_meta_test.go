package sqlite

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

func TestEventMetaRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []event.Event{
		{},
		{Channel: "web", Type: event.Track, UserID: "u1", Name: "Order Completed"},
		{Channel: "server", Type: event.Alias, UserID: "u2", PreviousID: "a-9"},
		{Type: event.Group, AnonymousID: "ä\x00b", GroupID: string(make([]byte, 300))},
	}
	for _, want := range cases {
		b := appendEventMeta(nil, &want)
		var got event.Event
		require.NoError(t, decodeEventMeta(b, &got))
		require.Equal(t, want, got)
	}
}

func TestEventMetaRejectsDamage(t *testing.T) {
	t.Parallel()
	good := appendEventMeta(nil, &event.Event{Channel: "web", Type: event.Track, UserID: "u1", Name: "Viewed"})
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "unknown version"},
		{"version", append([]byte{9}, good[1:]...), "unknown version"},
		{"truncated", good[:len(good)-1], "ends inside a field"},
		{"trailing", append(append([]byte{}, good...), 'x'), "after the last field"},
		{"length", []byte{metaVersion, 0xff}, "bad length"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, decodeEventMeta(tc.b, &event.Event{}), tc.want)
		})
	}
}

func FuzzEventMeta(f *testing.F) {
	f.Add([]byte{metaVersion, 0, 0, 0, 0, 0, 0, 0}, "web", "u1")
	f.Add(appendEventMeta(nil, &event.Event{Channel: "app", Type: event.Identify, UserID: "x"}), "", "")
	f.Fuzz(func(t *testing.T, b []byte, channel, user string) {
		var e event.Event
		_ = decodeEventMeta(b, &e) // must not panic on any input
		want := event.Event{Channel: channel, Type: event.Page, UserID: user, Name: channel + user}
		var got event.Event
		require.NoError(t, decodeEventMeta(appendEventMeta(nil, &want), &got))
		require.Equal(t, want, got)
	})
}
