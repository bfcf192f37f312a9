package journey

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type fakeRefs struct{}

func (fakeRefs) SegmentExists(id string) bool { return id == "vip" }
func (fakeRefs) TemplateChannel(id string) (string, bool) {
	m := map[string]string{"welcome": "email", "coupon": "sms"}
	c, ok := m[id]
	return c, ok
}
func (fakeRefs) ChannelKind(c string) (string, bool) { return c, c == "email" || c == "sms" }
func (fakeRefs) GroupExists(id string) bool          { return id == "news" }
func (fakeRefs) JourneyExists(id string) bool        { return id == "other" }

func TestValidate(t *testing.T) {
	t.Parallel()
	wrap := func(nodes string) string {
		return `{"id":"j","name":"J","entry":{"event":{"name":"E"},"next":"a"},"nodes":[` + nodes + `]}`
	}
	tests := []struct {
		name string
		src  string
		want []string // substrings of problems; empty = valid
	}{
		{"welcome is valid", welcomeJSON, nil},
		{"dangling edge", wrap(`{"id":"a","delay":{"duration":"1h"},"next":"nope"}`), []string{`nodes[0].next (node a): no node "nope"`}},
		{"unreachable node", wrap(`{"id":"a","exit":{}},{"id":"b","exit":{}}`), []string{"nodes[1] (node b): unreachable"}},
		{"percentages", wrap(`{"id":"a","random_split":{"paths":[{"percent":40,"next":"b"},{"percent":40,"next":"b"}]}},{"id":"b","exit":{}}`), []string{"sum to 80"}},
		{"zero-delay loop", wrap(`{"id":"a","split":{"condition":{"everyone":true},"yes":"b","no":"b"}},{"id":"b","update":{"note":"x"},"next":"a"}`), []string{"loop without a delay"}},
		{"loop through a delay is fine", wrap(`{"id":"a","delay":{"duration":"1d"},"next":"b"},{"id":"b","update":{"note":"x"},"next":"a"}`), nil},
		{"two kinds", wrap(`{"id":"a","exit":{},"delay":{"duration":"1h"}}`), []string{"exactly one kind"}},
		{"unknown template and wrong channel", wrap(`{"id":"a","message":{"channel":"email","template":"coupon"},"next":"b"},{"id":"b","message":{"channel":"push","template":"zzz"}}`),
			[]string{`template "coupon" is for sms, not email`, `channel "push" is not configured`, `unknown template "zzz"`}},
		{"unknown segment in condition", wrap(`{"id":"a","split":{"condition":{"in_segment":{"ids":["ghost"],"match":"any"}},"yes":"b","no":"b"}},{"id":"b","exit":{}}`), []string{`unknown segment "ghost"`}},
		{"bad filter", `{"id":"j","name":"J","entry":{"event":{"name":"E","where":[{"property":"x","op":"nope"}]},"next":"a"},"nodes":[{"id":"a","exit":{}}]}`, []string{"entry.event.where"}},
		{"bad duration", wrap(`{"id":"a","delay":{"duration":"-1h"}}`), []string{"not a positive duration"}},
		{"bad local time", wrap(`{"id":"a","delay":{"until":{"time":"25:00","days":["funday"]}}}`), []string{"not a time of day", `unknown day "funday"`}},
		{"wait without timeout target", wrap(`{"id":"a","wait":{"branches":[{"segment":"vip","next":"a"}],"timeout":"1d"}}`), []string{"wait.timeout_next (node a): missing target"}},
		{"jump to itself", wrap(`{"id":"a","jump":{"journey":"j"}}`), []string{"must name another journey"}},
		{"reserved trait", wrap(`{"id":"a","update":{"set":{"lifecycle_stage":"x"}}}`), []string{"reserved trait"}},
		{"canvas positions", `{"id":"j","name":"J","entry":{"event":{"name":"E"},"next":"a"},"nodes":[{"id":"a","exit":{}}],
			"layout":{"__entry":{"x":0,"y":40},"a":{"x":260.5,"y":-12}}}`, nil},
		{"position of a deleted step", `{"id":"j","name":"J","entry":{"event":{"name":"E"},"next":"a"},"nodes":[{"id":"a","exit":{}}],
			"layout":{"gone":{"x":0,"y":0},"a":{"x":2e6,"y":0}}}`, []string{`layout.gone: no step is called "gone"`, "layout.a (node a): position out of range"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseJSON([]byte(tc.src))
			require.NoError(t, err)
			err = d.Validate(fakeRefs{})
			if len(tc.want) == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, want string }{
		{"unknown top field", `{"id":"j","bogus":1}`, `unknown field "bogus"`},
		{"unknown node field names the node", `{"id":"j","nodes":[{"id":"m1","message":{"chanel":"email"}}]}`, `nodes[0] (node m1)`},
		{"not json", `{`, "not a valid definition"},
		{"trailing data", `{"id":"j"} {}`, "unexpected data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseJSON([]byte(tc.src))
			require.ErrorContains(t, err, tc.want)
		})
	}
	y := strings.ReplaceAll("id: j\nname: J\nentry: {api: {}, next: a}\nnodes:\n- {id: a, exit: {}}\n", "\t", "")
	d, err := Parse([]byte(y))
	require.NoError(t, err)
	require.NoError(t, d.Validate(nil))
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(welcomeJSON))
	f.Add([]byte(`{"id":"j","name":"J","entry":{"api":{},"next":"a"},"nodes":[{"id":"a","exit":{}}]}`))
	f.Add([]byte("id: j\nnodes: [{id: a, wait: {branches: [], timeout: 1d}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		_ = d.Validate(fakeRefs{}) //nolint:errcheck // must not panic; errors are fine
		_ = d.JSON()
	})
}
