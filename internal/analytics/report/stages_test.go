package report

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/funnel"
	"github.com/cairn-cdp/cairn/internal/segment"
)

// stageHistories are sends of three customers; k5 is before the range.
func stageHistories() []*funnel.History {
	send := func(key, stage, tmpl, ch string, hours int) segment.Event {
		return ev(EventMessageSent, hours, map[string]any{"send_key": key, "lifecycle_stage": stage, "template": tmpl, "channel": ch})
	}
	return []*funnel.History{
		hist("p1",
			send("k1", "new", "welcome", "email", 10),
			ev(EventMessageOpened, 11, map[string]any{"send_key": "k1"}),
			ev(EventGoalReached, 12, map[string]any{"preceding_send_key": "k1"}),
			send("k2", "active", "promo", "email", 20),
		),
		hist("p2",
			send("k3", "new", "welcome", "email", 10),
			ev(EventMessageOpened, 11, map[string]any{"send_key": "k3"}),
			ev(EventMessageOpened, 12, map[string]any{"send_key": "k3"}),
			send("k4", "new", "promo", "sms", 10),
		),
		hist("p3",
			send("k5", "new", "promo", "sms", 1),
			ev(EventMessageOpened, 2, map[string]any{"send_key": "k5"}),
		),
	}
}

type rowKey struct {
	stage, tmpl, ch string
	sends, resp     int64
}

func TestStages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		spec StageSpec
		want []rowKey
	}{
		{"opened by rate", StageSpec{Metric: Opened, Since: w0.Add(5 * 3600e9)}, []rowKey{
			{"new", "welcome", "email", 2, 2}, {"active", "promo", "email", 1, 0}, {"new", "promo", "sms", 1, 0}}},
		{"converted by sends", StageSpec{Metric: Converted, Sort: BySends, Since: w0.Add(5 * 3600e9)}, []rowKey{
			{"new", "welcome", "email", 2, 1}, {"active", "promo", "email", 1, 0}, {"new", "promo", "sms", 1, 0}}},
		{"opened all time by sends, ties by rate", StageSpec{Metric: Opened, Sort: BySends}, []rowKey{
			{"new", "welcome", "email", 2, 2}, {"new", "promo", "sms", 2, 1}, {"active", "promo", "email", 1, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, err := NewStages(c.spec)
			require.NoError(t, err)
			for _, h := range stageHistories() {
				s.Add(h)
			}
			r := s.Result()
			var got []rowKey
			for _, row := range r.Rows {
				got = append(got, rowKey{row.Stage, row.Template, row.Channel, row.Sends, row.Responders})
			}
			require.Equal(t, c.want, got)
		})
	}
}

func TestStagesSignificance(t *testing.T) {
	t.Parallel()
	s, err := NewStages(StageSpec{Metric: Opened, Since: w0.Add(5 * 3600e9)})
	require.NoError(t, err)
	for _, h := range stageHistories() {
		s.Add(h)
	}
	r := s.Result()
	welcome, active := r.Rows[0], r.Rows[1]
	require.InDelta(t, 2.0/3, welcome.StageRate, 1e-12)
	require.InDelta(t, 1, welcome.Rate, 1e-12)
	// rest of "new" is 0/1: pooled 2/3, SE0 = sqrt(2/9·1.5) = 0.57735, z = −1.732, p = 0.0833.
	require.NotNil(t, welcome.VsStage)
	require.InDelta(t, -1.7321, welcome.VsStage.Z, 1e-4)
	require.InDelta(t, 0.0833, welcome.VsStage.P, 1e-4)
	require.False(t, welcome.Significant)
	require.Nil(t, active.VsStage) // the whole stage
	require.InDelta(t, 0.3424, welcome.CI.Low, 1e-4)
}

func TestStagesInvalid(t *testing.T) {
	t.Parallel()
	for _, spec := range []StageSpec{{Metric: "bought"}, {Sort: "name"}, {Since: w0, Until: w0}} {
		_, err := NewStages(spec)
		require.ErrorIs(t, err, ErrInvalid)
	}
}

func TestStagesEmpty(t *testing.T) {
	t.Parallel()
	s, err := NewStages(StageSpec{})
	require.NoError(t, err)
	r := s.Result()
	require.Equal(t, Converted, r.Metric)
	require.Equal(t, ByRate, r.Sort)
	require.NotNil(t, r.Rows)
	require.Empty(t, r.Rows)
}
