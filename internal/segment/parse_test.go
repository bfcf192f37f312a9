package segment

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseJSONCanonical(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"everyone", `{"everyone":true}`, `{"everyone":true}`},
		{"group of one collapses", `{"and":[{"everyone":true}]}`, `{"everyone":true}`},
		{"default count dropped", `{"performed":{"event":"A","count":{"op":"gte","value":1}}}`, `{"performed":{"event":"A"}}`},
		{"empty where dropped", `{"performed":{"event":"A","where":[]}}`, `{"performed":{"event":"A"}}`},
		{"from_ago alone is within", `{"performed":{"event":"A","window":{"from_ago":"30d"}}}`, `{"performed":{"event":"A","window":{"within":"30d"}}}`},
		{"weeks print as days", `{"performed":{"event":"A","window":{"within":"2w"}}}`, `{"performed":{"event":"A","window":{"within":"14d"}}}`},
		{"go duration", `{"performed":{"event":"A","window":{"within":"1h30m"}}}`, `{"performed":{"event":"A","window":{"within":"90m"}}}`},
		{"time to UTC", `{"trait":{"path":"d","op":"before","value":"2026-01-01T02:00:00+02:00"}}`, `{"trait":{"path":"d","op":"before","value":"2026-01-01T00:00:00Z"}}`},
		{"date literal", `{"trait":{"path":"d","op":"after","value":"2026-03-01"}}`, `{"trait":{"path":"d","op":"after","value":"2026-03-01T00:00:00Z"}}`},
		{"count zero kept", `{"performed":{"event":"A","count":{"op":"equals","value":0}}}`, `{"performed":{"event":"A","count":{"op":"equals","value":0}}}`},
		{"context filter", `{"performed":{"event":"A","where":[{"context":"campaign.source","op":"equals","value":"g"}]}}`, `{"performed":{"event":"A","where":[{"context":"campaign.source","op":"equals","value":"g"}]}}`},
		{"between", `{"trait":{"path":"age","op":"between","value":[18,30]}}`, `{"trait":{"path":"age","op":"between","value":[18,30]}}`},
		{"aggregate", `{"aggregate":{"op":"gte","value":500,"fn":"sum","event":"Order Completed","property":"revenue","window":{"within":"365d"}}}`, `{"aggregate":{"fn":"sum","event":"Order Completed","property":"revenue","window":{"within":"365d"},"op":"gte","value":500}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseJSON([]byte(tc.in))
			require.NoError(t, err)
			require.JSONEq(t, tc.want, string(d.JSON()))
			require.Equal(t, tc.want, string(d.JSON()), "canonical field order")
		})
	}
}

func TestParseYAML(t *testing.T) {
	t.Parallel()
	y := `
and:
  - performed:
      event: Order Completed
      where:
        - {property: revenue, op: gt, value: 100}
      window: {within: 30d}
  - not:
      trait: {path: plan, op: equals, value: free}
`
	d, err := ParseYAML([]byte(y))
	require.NoError(t, err)
	want, err := ParseText(`performed "Order Completed" where revenue > 100 within 30d and not trait plan = "free"`)
	require.NoError(t, err)
	require.True(t, want.Equal(d), "got %s", d.JSON())

	_, err = ParseYAML([]byte("and: [\n  - x"))
	require.ErrorIs(t, err, ErrInvalid)
	_, err = ParseYAML([]byte("{1: 2}"))
	require.ErrorContains(t, err, "use string keys")
}

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat(`{"not":`, MaxDepth) + `{"everyone":true}` + strings.Repeat(`}`, MaxDepth)
	many := `{"or":[` + strings.Repeat(`{"everyone":true},`, MaxNodes) + `{"everyone":true}]}`
	cases := []struct {
		name, in, path, msg string
	}{
		{"not JSON", `{`, "conditions", "not valid JSON"},
		{"trailing data", `{"everyone":true} {}`, "conditions", "unexpected data"},
		{"not an object", `[]`, "conditions", "must be an object"},
		{"two kinds", `{"everyone":true,"not":{"everyone":true}}`, "conditions", "exactly one key"},
		{"unknown kind", `{"segment":{}}`, "conditions", `unknown condition kind "segment"`},
		{"everyone false", `{"everyone":false}`, "conditions.everyone", "takes the value true"},
		{"empty and", `{"and":[]}`, "conditions.and", "at least one condition"},
		{"unknown operator", `{"and":[{"everyone":true},{"trait":{"path":"a","op":"eq","value":1}}]}`, "conditions.and[1].trait.op", `unknown operator "eq"`},
		{"unknown operator lists valid", `{"trait":{"path":"a","op":"like","value":"x"}}`, "conditions.trait.op", "valid operators: equals, not_equals"},
		{"gt on string", `{"trait":{"path":"a","op":"gt","value":"10"}}`, "conditions.trait.value", "type mismatch: gt compares numbers but the value is a string"},
		{"regex on number", `{"trait":{"path":"a","op":"matches","value":5}}`, "conditions.trait.value", "type mismatch: matches needs a pattern string"},
		{"bad regex", `{"trait":{"path":"a","op":"matches","value":"(a"}}`, "conditions.trait.value", "invalid regular expression"},
		{"nested quantifier", `{"trait":{"path":"a","op":"matches","value":"(a+)+$"}}`, "conditions.trait.value", "nested quantifiers"},
		{"long regex", `{"trait":{"path":"a","op":"matches","value":"` + strings.Repeat("a", MaxRegexLen+1) + `"}}`, "conditions.trait.value", "longer than the limit of 256"},
		{"null literal", `{"trait":{"path":"a","op":"equals","value":null}}`, "conditions.trait.value", "use op exists or not_exists"},
		{"exists with value", `{"trait":{"path":"a","op":"exists","value":1}}`, "conditions.trait.value", "takes no value"},
		{"missing value", `{"trait":{"path":"a","op":"equals"}}`, "conditions.trait.value", "missing"},
		{"missing path", `{"trait":{"op":"exists"}}`, "conditions.trait.path", "missing"},
		{"unknown field", `{"trait":{"path":"a","op":"exists","unit":"x"}}`, "conditions.trait.unit", "unknown field"},
		{"between reversed", `{"trait":{"path":"a","op":"between","value":[5,1]}}`, "conditions.trait.value", "greater than high"},
		{"in empty", `{"trait":{"path":"a","op":"in","value":[]}}`, "conditions.trait.value", "list of 1 to"},
		{"bad tz", `{"trait":{"path":"b","op":"day_of_year","tz":"Mars/Base"}}`, "conditions.trait.tz", "unknown time zone"},
		{"tz on other op", `{"trait":{"path":"b","op":"exists","tz":"UTC"}}`, "conditions.trait.tz", "only day_of_year"},
		{"zero window", `{"and":[{"everyone":true},{"everyone":true},{"performed":{"event":"A","window":{"within":"0d"}}}]}`, "conditions.and[2].performed.window.within", "must be positive"},
		{"negative window", `{"performed":{"event":"A","window":{"within":"-5d"}}}`, "conditions.performed.window.within", "must be positive"},
		{"reversed relative window", `{"performed":{"event":"A","window":{"from_ago":"7d","to_ago":"30d"}}}`, "conditions.performed.window", "zero or negative length"},
		{"reversed absolute window", `{"performed":{"event":"A","window":{"after":"2026-02-01","before":"2026-01-01"}}}`, "conditions.performed.window", "zero or negative length"},
		{"mixed window forms", `{"performed":{"event":"A","window":{"within":"7d","after":"2026-01-01"}}}`, "conditions.performed.window", "exactly one window form"},
		{"to_ago alone", `{"performed":{"event":"A","window":{"to_ago":"7d"}}}`, "conditions.performed.window.from_ago", "needs from_ago"},
		{"bad duration", `{"performed":{"event":"A","window":{"within":"30 days"}}}`, "conditions.performed.window.within", "use a number and a unit"},
		{"sub-second duration", `{"performed":{"event":"A","window":{"within":"1500ms"}}}`, "conditions.performed.window.within", "whole number of seconds"},
		{"huge duration", `{"performed":{"event":"A","window":{"within":"999999d"}}}`, "conditions.performed.window.within", "exceeds 100 years"},
		{"bad time", `{"performed":{"event":"A","window":{"after":"yesterday"}}}`, "conditions.performed.window.after", "not an RFC 3339"},
		{"missing event", `{"performed":{}}`, "conditions.performed.event", "missing"},
		{"empty event", `{"performed":{"event":""}}`, "conditions.performed.event", "must not be empty"},
		{"count op", `{"performed":{"event":"A","count":{"op":"between","value":1}}}`, "conditions.performed.count.op", "valid operators: equals, not_equals, gt, gte, lt, lte"},
		{"count fraction", `{"performed":{"event":"A","count":{"op":"gte","value":1.5}}}`, "conditions.performed.count.value", "whole number"},
		{"filter without field", `{"performed":{"event":"A","where":[{"op":"exists"}]}}`, "conditions.performed.where[0].property", "missing"},
		{"filter both fields", `{"performed":{"event":"A","where":[{"property":"a","context":"b","op":"exists"}]}}`, "conditions.performed.where[0]", "both property and context"},
		{"filter type mismatch", `{"performed":{"event":"A","where":[{"property":"r","op":"lt","value":true}]}}`, "conditions.performed.where[0].value", "type mismatch"},
		{"edge time op", `{"last_performed":{"event":"A","time":{"op":"equals","value":1}}}`, "conditions.last_performed.time.op", "date operators only"},
		{"sequence one step", `{"sequence":{"steps":[{"event":"A"}]}}`, "conditions.sequence.steps", "2 to 16 steps"},
		{"sequence negated first", `{"sequence":{"steps":[{"event":"A","not":true},{"event":"B"}]}}`, "conditions.sequence.steps[0].not", "first step cannot be negated"},
		{"sequence not type", `{"sequence":{"steps":[{"event":"A"},{"event":"B","not":"yes"}]}}`, "conditions.sequence.steps[1].not", "true or false"},
		{"aggregate fn", `{"aggregate":{"fn":"median","event":"A","property":"r","op":"gt","value":1}}`, "conditions.aggregate.fn", "valid functions: count, sum"},
		{"aggregate property missing", `{"aggregate":{"fn":"sum","event":"A","op":"gt","value":1}}`, "conditions.aggregate.property", "missing"},
		{"aggregate count property", `{"aggregate":{"fn":"count","event":"A","property":"r","op":"gt","value":1}}`, "conditions.aggregate.property", "takes no property"},
		{"aggregate numeric literal", `{"aggregate":{"fn":"sum","event":"A","property":"r","op":"equals","value":"x"}}`, "conditions.aggregate.value", "yields a number"},
		{"aggregate date op", `{"aggregate":{"fn":"last","event":"A","property":"r","op":"within_last","value":"7d"}}`, "conditions.aggregate.op", "not allowed here"},
		{"in_segment match", `{"in_segment":{"match":"some","ids":["a"]}}`, "conditions.in_segment.match", "valid values: any, all, none"},
		{"in_segment ids", `{"in_segment":{"match":"any","ids":[]}}`, "conditions.in_segment.ids", "list of 1 to"},
		{"message event", `{"message":{"event":"read"}}`, "conditions.message.event", "valid values: sent"},
		{"subscription state", `{"subscription":{"group":"news","state":"maybe"}}`, "conditions.subscription.state", "valid values: subscribed, unsubscribed"},
		{"random percent", `{"random_bucket":{"percent":101}}`, "conditions.random_bucket.percent", "from 0 to 100"},
		{"random precision", `{"random_bucket":{"percent":1.234}}`, "conditions.random_bucket.percent", "two decimals"},
		{"channel list", `{"channel":{"channels":"web"}}`, "conditions.channel.channels", "list of 1 to"},
		{"too deep", deep, "conditions" + strings.Repeat(".not", MaxDepth), "deeper than 32 levels"},
		{"too many nodes", many, "conditions.or[499]", "more than 500 conditions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseJSON([]byte(tc.in))
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			require.Equal(t, tc.path, ve.Path, "error: %v", err)
			require.Contains(t, ve.Msg+" ("+ve.Hint+")", tc.msg)
		})
	}
}
