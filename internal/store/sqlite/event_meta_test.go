package sqlite

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/event"
)

// appendEventMetaV1 is the version 1 encoding, as rows written before
// version 2 hold it.
func appendEventMetaV1(dst []byte, e *event.Event) []byte {
	dst = append(dst, metaVersionCols)
	for _, s := range [...]string{e.Channel, string(e.Type), e.UserID, e.AnonymousID, e.PreviousID, e.GroupID, e.Name} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return dst
}

func TestEventMetaRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []event.Event{
		{Raw: []byte{}},
		{MessageID: "m-1", Channel: "web", Type: event.Track, UserID: "u1", Name: "Order Completed", Raw: []byte(`{"a":1}`)},
		{MessageID: "m-2", Channel: "server", Type: event.Alias, UserID: "u2", PreviousID: "a-9", Raw: []byte(`{}`)},
		{Type: event.Group, AnonymousID: "ä\x00b", GroupID: string(make([]byte, 300)), Raw: []byte("\x00\xff")},
	}
	for _, want := range cases {
		b := appendEventMeta(nil, &want)
		var got event.Event
		require.NoError(t, decodeEventMeta(b, &got))
		require.Equal(t, want, got)
		id, ok, err := metaMessageID(b)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, want.MessageID, id)
		body, err := metaBody(b)
		require.NoError(t, err)
		require.Equal(t, []byte(want.Raw), body)
	}
}

// TestEventMetaVersion1: a version 1 meta sets the fields it holds and
// leaves the message id and body, which its row keeps in columns.
func TestEventMetaVersion1(t *testing.T) {
	t.Parallel()
	b := appendEventMetaV1(nil, &event.Event{Channel: "web", Type: event.Track, UserID: "u1", Name: "Viewed"})
	got := event.Event{MessageID: "from-column", Raw: []byte(`{"from":"column"}`)}
	require.NoError(t, decodeEventMeta(b, &got))
	require.Equal(t, event.Event{MessageID: "from-column", Channel: "web", Type: event.Track, UserID: "u1", Name: "Viewed",
		Raw: []byte(`{"from":"column"}`)}, got)
	_, ok, err := metaMessageID(b)
	require.NoError(t, err)
	require.False(t, ok, "a version 1 row's message id is in its column")
}

func TestEventMetaRejectsDamage(t *testing.T) {
	t.Parallel()
	good := appendEventMeta(nil, &event.Event{MessageID: "m", Channel: "web", Type: event.Track, UserID: "u1", Name: "Viewed"})
	v1 := appendEventMetaV1(nil, &event.Event{Channel: "web", Type: event.Track, UserID: "u1", Name: "Viewed"})
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "unknown version"},
		{"version", append([]byte{9}, good[1:]...), "unknown version"},
		{"truncated", good[:len(good)-3], "ends inside a field"},
		{"length", []byte{metaVersion, 0xff}, "bad length"},
		{"version 1 truncated", v1[:len(v1)-1], "ends inside a field"},
		{"version 1 trailing", append(append([]byte{}, v1...), 'x'), "after the last field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, decodeEventMeta(tc.b, &event.Event{}), tc.want)
		})
	}
	_, _, err := metaMessageID([]byte{metaVersion, 5, 'a'})
	require.ErrorContains(t, err, "ends inside a field")
}

func FuzzEventMeta(f *testing.F) {
	f.Add([]byte{metaVersion, 0, 0, 0, 0, 0, 0, 0, 0}, "web", "u1", []byte(`{}`))
	f.Add([]byte{metaVersionCols, 0, 0, 0, 0, 0, 0, 0}, "", "", []byte(nil))
	f.Add(appendEventMeta(nil, &event.Event{Channel: "app", Type: event.Identify, UserID: "x"}), "", "", []byte("x"))
	f.Fuzz(func(t *testing.T, b []byte, channel, user string, body []byte) {
		var e event.Event
		_ = decodeEventMeta(b, &e) // must not panic on any input
		_, _, _ = metaMessageID(b)
		want := event.Event{MessageID: user + channel, Channel: channel, Type: event.Page, UserID: user, Name: channel + user,
			Raw: append([]byte{}, body...)}
		var got event.Event
		require.NoError(t, decodeEventMeta(appendEventMeta(nil, &want), &got))
		require.Equal(t, want, got)
	})
}
