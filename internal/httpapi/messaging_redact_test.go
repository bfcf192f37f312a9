package httpapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"none", `{"host": "mx", "port": 25}`, `{"host": "mx", "port": 25}`},
		{"names", `{"Password":"a","client_secret":"b","auth_token":"c","private_key":"d","api_token":"e","user":"f"}`,
			`{"Password":"********","client_secret":"********","auth_token":"********","private_key":"********","api_token":"********","user":"f"}`},
		{"nested and in arrays", `{"smtp":{"password":"p"},"accounts":[{"sid":"1","auth_token":"t"},{"sid":"2"}],"tags":["password"]}`,
			`{"smtp":{"password":"********"},"accounts":[{"sid":"1","auth_token":"********"},{"sid":"2"}],"tags":["password"]}`},
		{"whole secret object", `{"secrets":{"a":1}}`, `{"secrets":"********"}`},
		{"non-string values", `{"token":12345,"secret":true}`, `{"token":"********","secret":"********"}`},
		{"empty values stay visible", `{"password":"","token":null}`, `{"password":"","token":null}`},
		{"order kept", `{"z":1,"password":"x","a":2}`, `{"z":1,"password":"********","a":2}`},
		{"html kept", `{"html":"<b>&</b>","token":"x"}`, `{"html":"<b>&</b>","token":"********"}`},
		{"not an object", `["token"]`, `["token"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, string(redact(json.RawMessage(tc.in))))
		})
	}
}

func TestMergeSecrets(t *testing.T) {
	t.Parallel()
	stored := `{"smtp":{"host":"mx","password":"p1"},"accounts":[{"auth_token":"t0"},{"auth_token":"t1"}],"token":"top"}`
	cases := []struct {
		name, body, want, errPath string
	}{
		{"no placeholder is untouched", `{"a" : 1}`, `{"a" : 1}`, ""},
		{"nested", `{"smtp":{"host":"mx2","password":"********"}}`, `{"smtp":{"host":"mx2","password":"p1"}}`, ""},
		{"array by index", `{"accounts":[{"auth_token":"new"},{"auth_token":"********"}]}`, `{"accounts":[{"auth_token":"new"},{"auth_token":"t1"}]}`, ""},
		{"top", `{"token":"********","x":1}`, `{"token":"top","x":1}`, ""},
		{"placeholder on a plain field stays", `{"note":"********"}`, `{"note":"********"}`, ""},
		{"no stored value", `{"smtp":{"api_secret":"********"}}`, "", "smtp.api_secret"},
		{"index beyond stored", `{"accounts":[{},{},{"auth_token":"********"}]}`, "", "accounts[2].auth_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := mergeSecrets(json.RawMessage(tc.body), json.RawMessage(stored))
			if tc.errPath != "" {
				require.ErrorIs(t, err, errPlaceholder)
				require.True(t, strings.HasPrefix(err.Error(), tc.errPath+":"), err.Error())
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(got))
		})
	}
}

// FuzzRedactMerge checks, for any JSON object, that redaction yields valid
// JSON with every secret hidden, and that merging the redacted form back
// over the original restores it.
func FuzzRedactMerge(f *testing.F) {
	f.Add(`{"id":"email","smtp":{"password":"p"},"list":[{"auth_token":"t"},1,"x"]}`)
	f.Add(`{"token":{"nested":[1,2]},"plain":"********"}`)
	f.Add(`{"a":{"b":{"c":{"secret":""}}}}`)
	f.Add(`{"private_key":"k","Private_Key2":null,"\u0074oken":"escaped key"}`)
	f.Fuzz(func(t *testing.T, in string) {
		var orig any
		if !strings.HasPrefix(strings.TrimSpace(in), "{") || json.Unmarshal([]byte(in), &orig) != nil {
			return
		}
		red := redact(json.RawMessage(in))
		var got any
		if err := json.Unmarshal(red, &got); err != nil {
			t.Fatalf("redact(%s) = %s: not JSON: %v", in, red, err)
		}
		checkHidden(t, got)
		back, err := mergeSecrets(red, json.RawMessage(in))
		if errors.Is(err, errPlaceholder) {
			return // the input itself held a placeholder where there is nothing to restore
		}
		if err != nil {
			t.Fatalf("merge: %v", err)
		}
		var restored any
		if err := json.Unmarshal(back, &restored); err != nil {
			t.Fatalf("merge result %s: not JSON: %v", back, err)
		}
		require.Equal(t, orig, restored)
	})
}

// checkHidden fails if a secret field of v holds anything but the
// placeholder or an empty value.
func checkHidden(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if secretName(k) {
				if e != nil && e != "" && e != Redacted {
					t.Fatalf("secret %q not hidden: %v", k, e)
				}
				continue
			}
			checkHidden(t, e)
		}
	case []any:
		for _, e := range x {
			checkHidden(t, e)
		}
	}
}
