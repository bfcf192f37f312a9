package delivery

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/journey"
	"github.com/cairn-cdp/cairn/internal/store"
)

func utc(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, time.UTC)
}

// TestQuietHoursAcrossZones evaluates quiet hours 21:00–08:00 at one
// instant (t0 unless start is set) for customers in different zones.
func TestQuietHoursAcrossZones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		start       time.Time // clock; t0 when zero
		traits      map[string]any
		journeyZone string // the journey's default_timezone
		settingZone string // the workspace default_timezone
		quiet       journey.QuietHours
		tx          bool
		wantStatus  string
		wantDue     time.Time // deferred sends: the local end of quiet hours
	}{
		{name: "New York 23:00 is quiet until 08:00 EDT", traits: map[string]any{"timezone": "America/New_York"},
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 12, 0)},
		{name: "Berlin 04:00 is quiet until 08:00 CET", traits: map[string]any{"timezone": "Europe/Berlin"},
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 7, 0)},
		{name: "Sydney 14:00 is not quiet", traits: map[string]any{"timezone": "Australia/Sydney"}, wantStatus: store.SendSent},
		{name: "Kolkata 08:30 is just past quiet hours", traits: map[string]any{"timezone": "Asia/Kolkata"}, wantStatus: store.SendSent},
		{name: "a zone alias resolves (US/Eastern)", traits: map[string]any{"timezone": "US/Eastern"},
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 12, 0)},
		{name: "address US/CA is Los Angeles at 20:00, not quiet",
			traits: map[string]any{"address.country": "US", "address.state": "CA"}, wantStatus: store.SendSent},
		{name: "address US without a state is New York",
			traits: map[string]any{"address.country": "US"}, wantStatus: store.SendQueued, wantDue: utc(3, 10, 12, 0)},
		{name: "address GB is London 03:00, quiet until 08:00 GMT",
			traits: map[string]any{"address.country": "GB"}, wantStatus: store.SendQueued, wantDue: utc(3, 10, 8, 0)},
		{name: "an unknown timezone trait falls through to the address",
			traits: map[string]any{"timezone": "Mars/Olympus_Mons", "address.country": "DE"}, wantStatus: store.SendQueued, wantDue: utc(3, 10, 7, 0)},
		{name: "journey default zone Tokyo 12:00 is not quiet", journeyZone: "Asia/Tokyo", wantStatus: store.SendSent},
		{name: "journey default zone Chicago 22:00 is quiet until 08:00 CDT", journeyZone: "America/Chicago",
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 13, 0)},
		{name: "workspace default zone applies without a journey zone", settingZone: "Europe/Berlin",
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 7, 0)},
		{name: "a Windows zone id as workspace default", settingZone: "W. Europe Standard Time",
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 7, 0)},
		{name: "EST as journey default means New York with DST", journeyZone: "EST",
			wantStatus: store.SendQueued, wantDue: utc(3, 10, 12, 0)}, // fixed UTC-5 would say 13:00
		{name: "the journey default wins over the workspace default", journeyZone: "Asia/Tokyo", settingZone: "Europe/Berlin",
			wantStatus: store.SendSent},
		{name: "the customer's zone wins over the journey default", traits: map[string]any{"timezone": "Australia/Sydney"},
			journeyZone: "America/Chicago", wantStatus: store.SendSent},
		{name: "no zone at all is UTC", wantStatus: store.SendQueued, wantDue: utc(3, 10, 8, 0)},
		{name: "skip instead of defer", traits: map[string]any{"timezone": "America/New_York"},
			quiet: journey.QuietHours{Start: "21:00", End: "08:00", OnQuiet: "skip"}, wantStatus: store.SendSkipped},
		{name: "quiet only on Saturdays: Monday night is not quiet", traits: map[string]any{"timezone": "America/New_York"},
			quiet: journey.QuietHours{Start: "21:00", End: "08:00", Days: []string{"sat"}}, wantStatus: store.SendSent},
		{name: "quiet on Mondays: Monday night runs into Tuesday morning", traits: map[string]any{"timezone": "America/New_York"},
			quiet: journey.QuietHours{Start: "21:00", End: "08:00", Days: []string{"Mon"}}, wantStatus: store.SendQueued, wantDue: utc(3, 10, 12, 0)},
		{name: "transactional sends ignore quiet hours", traits: map[string]any{"timezone": "America/New_York"}, tx: true,
			wantStatus: store.SendSent},
		{name: "an end inside the spring-forward gap resumes at the transition",
			start: utc(3, 8, 6, 15), traits: map[string]any{"timezone": "America/New_York"}, // 01:15 EST
			quiet:      journey.QuietHours{Start: "21:00", End: "02:30"},
			wantStatus: store.SendQueued, wantDue: utc(3, 8, 7, 0)}, // 03:00 EDT
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := tt.start
			if start.IsZero() {
				start = t0
			}
			e := newEnvAt(t, start)
			mail := e.fake("email", channel.Email)
			if tt.settingZone != "" {
				e.config("settings", "messaging", `{"default_timezone":"`+tt.settingZone+`"}`)
			}
			traits := map[string]any{"email": "ada@example.com"}
			for k, v := range tt.traits {
				traits[k] = v
			}
			e.profile("p1", traits)
			q := tt.quiet
			if q.Start == "" {
				q = journey.QuietHours{Start: "21:00", End: "08:00"}
			}
			e.queue("k1", "p1", func(_ *store.Send, p *journey.SendPayload) {
				p.QuietHours, p.DefaultTimezone, p.Transactional = &q, tt.journeyZone, tt.tx
			})

			require.Equal(t, 1, e.round())
			got := e.send("k1")
			require.Equal(t, tt.wantStatus, got.Status)
			switch tt.wantStatus {
			case store.SendSent:
				require.Len(t, mail.messages(), 1)
				require.Equal(t, journey.EventMessageSent, e.only("k1").Name)
				return
			case store.SendSkipped:
				require.Equal(t, SkipQuietHours, got.Reason)
				require.Empty(t, mail.messages())
				ev := e.only("k1")
				require.Equal(t, journey.EventMessageSkipped, ev.Name)
				require.Equal(t, SkipQuietHours, ev.Props["reason"])
				return
			}
			// Deferred: re-queued for the local end of quiet hours, with no
			// event (the journey keeps waiting) and no provider call.
			require.True(t, tt.wantDue.Equal(got.DueAt), "due %s, want %s", got.DueAt, tt.wantDue)
			require.Zero(t, got.Attempts)
			require.Empty(t, mail.messages())
			require.Empty(t, e.eventsOf("k1"))
			next, ok, err := e.st.NextSendDue(t.Context())
			require.NoError(t, err)
			require.True(t, ok)
			require.True(t, tt.wantDue.Equal(next))

			e.clk.Set(tt.wantDue.Add(-time.Second))
			require.Zero(t, e.round(), "not due a second early")
			e.clk.Set(tt.wantDue)
			require.Equal(t, 1, e.round())
			got = e.send("k1")
			require.Equal(t, store.SendSent, got.Status)
			require.NotNil(t, got.SentAt)
			require.True(t, tt.wantDue.Equal(*got.SentAt))
			require.Len(t, mail.messages(), 1)
			ev := e.only("k1")
			require.Equal(t, journey.EventMessageSent, ev.Name)
			require.True(t, tt.wantDue.Equal(ev.Timestamp))
		})
	}
}
