package segment

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// textCases are definitions in their canonical text form: each must parse
// and print back unchanged.
var textCases = []string{
	`everyone`,
	`performed "Order Completed" where revenue > 100 within 30d and not trait plan = "free"`,
	`(trait a = 1 or trait b between 1 and 5) and trait c != true`,
	`trait a = 1 and (trait b = 2 and trait c = 3)`,
	`trait a = 1 or (trait b = 2 or trait c = 3)`,
	`not (trait a exists or trait b not_exists)`,
	`not not everyone`,
	`trait tags contains "vip" and trait email ends_with "@example.com" and trait name starts_with "Jo"`,
	`trait email matches "^[a-z]+@corp\\.com$" and trait plan in ["pro", "team"] and trait n not_in [1, 2.5, -3]`,
	`trait signup within_last 30d and trait renewal within_next 7d and trait seen before_last 90d and trait trial after_next 1d`,
	`trait birthday day_of_year tz "Europe/Paris" or trait anniversary day_of_year`,
	`trait created before "2026-01-01T00:00:00Z" and trait created after "2025-01-01T12:30:00.5Z"`,
	`performed "Order Completed" count = 0 within 7d`,
	`performed "Page Viewed" where context.page.path starts_with "/pricing", properties.context.x = 1 count >= 3 from 30d ago to 7d ago`,
	`performed "A" after "2026-01-01T00:00:00Z" before "2026-02-01T00:00:00Z" or performed "B" before "2026-02-01T00:00:00Z"`,
	`first_performed "Order Completed" where total > 0 has coupon exists time within_last 30d`,
	`last_performed "Order Completed" time before_last 90d`,
	`sequence "Email Opened" then "Product Viewed" where sku = "X" then not "Order Completed" within 7d`,
	`sequence "A" then not "B" then not "C" where n > 1 then "D"`,
	`aggregate sum revenue of "Order Completed" within 365d >= 500`,
	`aggregate count of "Order Completed" where currency = "USD" between 2 and 5`,
	`aggregate most_frequent category of "Product Viewed" within 90d = "shoes"`,
	`aggregate last "of" of "X" after "2026-01-01T00:00:00Z" matches "^a"`,
	`in_segment any ["vip", "loyal"] and in_segment none ["churned"]`,
	`message opened channel "email" template "welcome" journey "onboarding" count = 0 within 7d`,
	`subscription "newsletter" unsubscribed`,
	`random_bucket 12.5 salt "holdout-2026" and random_bucket 10`,
	`channel channels ["store", "call_center"] within 90d or channel sources ["src_1"] or channel`,
	`trait "first name" = "Zoë" and trait "a\"b" = "tab\tnew\nline"`,
	`trait x > 1e+21 and trait y < -0.000001`,
}

func TestTextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, src := range textCases {
		t.Run(src, func(t *testing.T) {
			t.Parallel()
			d, err := ParseText(src)
			require.NoError(t, err)
			require.Equal(t, src, d.Text(), "print(parse(text)) is the canonical text")
			back, err := ParseText(d.Text())
			require.NoError(t, err)
			require.True(t, d.Equal(back))
			fromJSON, err := ParseJSON(d.JSON())
			require.NoError(t, err)
			require.True(t, d.Equal(fromJSON), "JSON round trip: %s", d.JSON())
			require.Equal(t, src, fromJSON.Text())
		})
	}
}

func TestTextNormalizes(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{`performed "A" where x equals 1 count gte 1 within 2w`, `performed "A" where x = 1 within 14d`},
		{`trait a   =1`, `trait a = 1`},
		{"trait a = 1 and\n  (trait b = 2)", `trait a = 1 and trait b = 2`},
		{`performed "A" from 30d ago to 0d ago`, ``}, // error: to_ago must be positive
		{`trait d after "2026-01-01"`, `trait d after "2026-01-01T00:00:00Z"`},
		{`trait properties.x = 1`, `trait properties.x = 1`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			d, err := ParseText(tc.in)
			if tc.want == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, d.Text())
		})
	}
}

func TestTextErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, path, msg string }{
		{``, "text 1:1", "expected a condition, found end of input"},
		{`trait a = `, "text 1:11", "expected a value"},
		{`trait a = "x`, "text 1:11", "unterminated string"},
		{`trait a = 1 trait b = 2`, "text 1:13", "join conditions with and/or"},
		{"trait a = 1 and\n  bogus", "text 2:3", `unknown condition "bogus"`},
		{`(trait a = 1`, "text 1:13", `expected ")"`},
		{`trait a ~ 1`, "text 1:9", "unexpected character"},
		{`performed Order`, "text 1:11", "event name as a quoted string"},
		{`trait a like "x"`, "text 1:9", `unknown operator "like"`},
		{`last_performed "A" time = 1`, "conditions.last_performed.time.op", "date operators only"},
		{`trait a > "x"`, "conditions.trait.value", "type mismatch"},
		{`performed "A" within 0d`, "conditions.performed.window.within", "must be positive"},
		{`trait a = 01`, "text 1:11", "invalid number"},
		{`trait a in [[1]]`, "text 1:13", "expected a value"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseText(tc.in)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "error: %v", err)
			require.Equal(t, tc.path, ve.Path, "error: %v", err)
			require.Contains(t, ve.Error(), tc.msg)
		})
	}
}
