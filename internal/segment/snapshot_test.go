package segment

import (
	"encoding/json"
	"testing"

	"github.com/cairn-cdp/cairn/internal/event"
	"github.com/cairn-cdp/cairn/internal/store"
	"github.com/stretchr/testify/require"
)

func TestSnapshotFromStore(t *testing.T) {
	t.Parallel()
	e := &event.Event{
		Type: event.Track, Name: "Order Completed", Timestamp: ago(day), Channel: "web", SourceID: "src_1", MessageID: "m1",
		Raw: json.RawMessage(`{"event":"Order Completed","properties":{"revenue":120,"items":[{"sku":"a"}]},"context":{"campaign":{"source":"google"}}}`),
	}
	got, err := EventFrom(e)
	require.NoError(t, err)
	require.Equal(t, "src_1", got.Source)
	traits, err := TraitsFrom([]store.Trait{
		{Path: "plan", Value: json.RawMessage(`"pro"`)},
		{Path: "address.city", Value: json.RawMessage(`"Paris"`)},
	})
	require.NoError(t, err)
	d := mustText(t, `performed "Order Completed" where revenue > 100, context.campaign.source = "google" within 2d and trait address.city = "Paris" and trait plan = "pro"`)
	ok, err := Evaluate(d, Snapshot{ProfileID: "p", Traits: traits, Events: []Event{got}}, t0, nil)
	require.NoError(t, err)
	require.True(t, ok)

	_, err = EventFrom(&event.Event{MessageID: "bad", Raw: json.RawMessage(`{"properties":[]}`)})
	require.ErrorContains(t, err, "decode event bad")
	_, err = TraitsFrom([]store.Trait{{Path: "x", Value: json.RawMessage(`{`)}})
	require.ErrorContains(t, err, "decode trait x")
}

// TestLazyEventFrom: a lazily converted event evaluates like an eagerly
// converted one, decodes its body once however many copies read it from
// however many goroutines, and reads a body that does not decode as empty.
func TestLazyEventFrom(t *testing.T) {
	t.Parallel()
	e := &event.Event{
		Type: event.Track, Name: "Order Completed", Timestamp: ago(day), Channel: "web", SourceID: "src_1", MessageID: "m1",
		Raw: json.RawMessage(`{"event":"Order Completed","properties":{"revenue":120},"context":{"campaign":{"source":"google"}}}`),
	}
	eager, err := EventFrom(e)
	require.NoError(t, err)
	lazy := LazyEventFrom(e, nil)
	require.Nil(t, lazy.Properties, "nothing decoded until read")
	d := mustText(t, `performed "Order Completed" where revenue > 100, context.campaign.source = "google" within 2d`)
	for _, ev := range []Event{eager, lazy} {
		ok, err := Evaluate(d, Snapshot{ProfileID: "p", Events: []Event{ev}}, t0, nil)
		require.NoError(t, err)
		require.True(t, ok)
	}
	shared := LazyEventFrom(e, nil)
	copies := make([]Event, 8)
	for i := range copies {
		copies[i] = shared // copies share one body
	}
	done := make(chan map[string]any, len(copies))
	for i := range copies {
		go func() { done <- copies[i].Props() }()
	}
	for range copies {
		require.Equal(t, eager.Properties, <-done)
	}
	require.Equal(t, eager.Context, lazy.Ctx())

	bad := LazyEventFrom(&event.Event{MessageID: "bad", Raw: json.RawMessage(`{"properties":[]}`)}, nil)
	require.Nil(t, bad.Props())
	require.Nil(t, bad.Ctx())
	empty := LazyEventFrom(&event.Event{}, nil)
	require.Nil(t, empty.Props(), "no body")
}

// TestLazyEvent: a body read on demand is read once, by the first
// condition that needs it, and a body that is gone reads as empty.
func TestLazyEvent(t *testing.T) {
	t.Parallel()
	loads := 0
	e := LazyEvent(Event{Type: "track", Name: "Order Completed", Timestamp: ago(day)}, func() []byte {
		loads++
		return []byte(`{"properties":{"revenue":120}}`)
	})
	d := mustText(t, `performed "Order Completed" where revenue > 100 within 2d`)
	for range 3 {
		ok, err := Evaluate(d, Snapshot{ProfileID: "p", Events: []Event{e}}, t0, nil)
		require.NoError(t, err)
		require.True(t, ok)
	}
	require.Equal(t, 1, loads)
	counted := LazyEvent(Event{Type: "track", Name: "Order Completed", Timestamp: ago(day)}, func() []byte {
		t.Fatal("a condition that reads no property must not load the body")
		return nil
	})
	ok, err := Evaluate(mustText(t, `performed "Order Completed" within 2d`), Snapshot{ProfileID: "p", Events: []Event{counted}}, t0, nil)
	require.NoError(t, err)
	require.True(t, ok)
	gone := LazyEvent(Event{Name: "Order Completed"}, func() []byte { return nil })
	require.Nil(t, gone.Props())
}

// TestUnload: an unread body is dropped and read again when a condition
// needs it; a read body and one that cannot be read again stay.
func TestUnload(t *testing.T) {
	t.Parallel()
	raw := json.RawMessage(`{"properties":{"revenue":120}}`)
	loads := 0
	reload := func() []byte { loads++; return raw }
	e := LazyEventFrom(&event.Event{Type: event.Track, Name: "Order Completed", Raw: raw}, reload)
	e.Unload()
	require.Equal(t, 0, loads)
	require.Equal(t, map[string]any{"revenue": 120.0}, e.Props())
	require.Equal(t, 1, loads, "read again once")
	e.Unload() // decoded: nothing to drop
	require.Equal(t, map[string]any{"revenue": 120.0}, e.Props())
	require.Equal(t, 1, loads)
	kept := LazyEventFrom(&event.Event{Type: event.Track, Name: "Order Completed", Raw: raw}, nil)
	kept.Unload() // no way to read it again: kept
	require.Equal(t, map[string]any{"revenue": 120.0}, kept.Props())
}
