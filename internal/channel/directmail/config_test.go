package directmail

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"defaults", Config{Dir: "/tmp/x"}, ""},
		{"six hours at nine", Config{Dir: "/tmp/x", Window: Duration(6 * time.Hour), StartHour: 9}, ""},
		{"a week", Config{Dir: "/tmp/x", Window: Duration(7 * day)}, ""},
		{"extra fields", Config{Dir: "/tmp/x", Fields: []string{"creative", "segment"}}, ""},
		{"no dir", Config{}, "dir is required"},
		{"negative window", Config{Dir: "d", Window: Duration(-time.Hour)}, "negative"},
		{"tiny window", Config{Dir: "d", Window: Duration(time.Second)}, "shorter than a minute"},
		{"window not dividing a day", Config{Dir: "d", Window: Duration(7 * time.Hour)}, "does not divide a day"},
		{"window of partial days", Config{Dir: "d", Window: Duration(36 * time.Hour)}, "whole number of days"},
		{"hour out of range", Config{Dir: "d", StartHour: 24}, "start_hour 24"},
		{"prefix with a slash", Config{Dir: "d", Prefix: "a/b"}, "prefix"},
		{"hidden prefix", Config{Dir: "d", Prefix: ".x"}, "prefix"},
		{"field shadowing a column", Config{Dir: "d", Fields: []string{"body"}}, "already a column"},
		{"empty field", Config{Dir: "d", Fields: []string{" "}}, "empty"},
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

func TestWindows(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name      string
		cfg       Config
		now       string
		wantStart string
		wantStamp string
	}{
		{"daily at midnight", Config{}, "2026-11-26T13:45:00Z", "2026-11-26T00:00:00Z", "2026-11-26"},
		{"daily, one ns before midnight", Config{}, "2026-11-25T23:59:59.999999999Z", "2026-11-25T00:00:00Z", "2026-11-25"},
		{"daily at midnight exactly", Config{}, "2026-11-26T00:00:00Z", "2026-11-26T00:00:00Z", "2026-11-26"},
		{"daily at 09:00, before nine", Config{StartHour: 9}, "2026-11-26T08:59:00Z", "2026-11-25T09:00:00Z", "2026-11-25T0900Z"},
		{"daily at 09:00, after nine", Config{StartHour: 9}, "2026-11-26T09:00:00Z", "2026-11-26T09:00:00Z", "2026-11-26T0900Z"},
		{"local time is read as UTC", Config{}, "2026-11-26T01:00:00+03:00", "2026-11-25T00:00:00Z", "2026-11-25"},
		{"six hours", Config{Window: Duration(6 * time.Hour)}, "2026-11-26T13:45:00Z", "2026-11-26T12:00:00Z", "2026-11-26T1200Z"},
		{"weekly starts on Monday", Config{Window: Duration(7 * day)}, "2026-11-26T13:45:00Z", "2026-11-23T00:00:00Z", "2026-11-23"},
		{"before the base", Config{}, "1969-07-20T20:17:00Z", "1969-07-20T00:00:00Z", "1969-07-20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg
			cfg.Dir = "d"
			cfg = cfg.withDefaults()
			start := cfg.windowStart(at(tt.now))
			require.Equal(t, at(tt.wantStart), start)
			require.Equal(t, tt.wantStamp, cfg.stamp(start))
			back, ok := parseStamp(cfg.stamp(start))
			require.True(t, ok)
			require.Equal(t, start, back)
		})
	}
}

func TestBatchStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		ok         bool
		wantBase   string
		wantStart  time.Time
	}{
		{"open", "nto-2026-11-26.csv.open", true, "nto-2026-11-26", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		{"closed", "nto-2026-11-26.csv", true, "nto-2026-11-26", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		{"closed again", "nto-2026-11-26-2.csv", true, "nto-2026-11-26-2", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		{"time stamp", "nto-2026-11-26T0900Z.csv", true, "nto-2026-11-26T0900Z", time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)},
		{"other prefix", "ntox-2026-11-26.csv", false, "", time.Time{}},
		{"not a stamp", "nto-latest.csv", false, "", time.Time{}},
		{"not csv", "nto-2026-11-26.txt", false, "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start, base, ok := batchStart("nto", tt.file)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.wantBase, base)
			require.Equal(t, tt.wantStart, start)
		})
	}
}

func TestDurationJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{`"1d"`, day, false},
		{`"7d"`, 7 * day, false},
		{`"6h"`, 6 * time.Hour, false},
		{`3600`, time.Hour, false},
		{`"1.5d"`, 0, true},
		{`"soon"`, 0, true},
		{`true`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var d Duration
			err := json.Unmarshal([]byte(tt.in), &d)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, time.Duration(d))
			b, err := json.Marshal(d)
			require.NoError(t, err)
			var back Duration
			require.NoError(t, json.Unmarshal(b, &back))
			require.Equal(t, d, back)
		})
	}
}
