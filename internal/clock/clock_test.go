package clock

import (
	"testing"
	"time"
)

func TestManualAdvanceFiresDueWaiters(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewManual(start)
	early := m.After(time.Second)
	late := m.After(time.Hour)
	m.Advance(2 * time.Second)
	select {
	case got := <-early:
		if !got.Equal(start.Add(2 * time.Second)) {
			t.Fatalf("early fired at %v", got)
		}
	default:
		t.Fatal("waiter due after 1s did not fire after advancing 2s")
	}
	select {
	case <-late:
		t.Fatal("waiter due after 1h fired early")
	default:
	}
	if got := m.Set(start); !got.Equal(start.Add(2 * time.Second)) {
		t.Fatalf("Set moved the clock backwards to %v", got)
	}
}
