package segment

import (
	"testing"
)

// checkRoundTrip asserts that a parsed definition prints to JSON and text
// forms that both re-parse to an equal definition, and that printing is stable.
func checkRoundTrip(t *testing.T, d *Definition) {
	t.Helper()
	j := d.JSON()
	fromJSON, err := ParseJSON(j)
	if err != nil {
		t.Fatalf("canonical JSON %s does not re-parse: %v", j, err)
	}
	if !d.Equal(fromJSON) {
		t.Fatalf("JSON round trip changed the definition:\n%s\n%s", j, fromJSON.JSON())
	}
	text := d.Text()
	fromText, err := ParseText(text)
	if err != nil {
		t.Fatalf("text %q does not re-parse: %v", text, err)
	}
	if !d.Equal(fromText) {
		t.Fatalf("text round trip changed the definition:\n%s\n%s", j, fromText.JSON())
	}
	if again := fromText.Text(); again != text {
		t.Fatalf("text printing is not stable:\n%s\n%s", text, again)
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, src := range textCases {
		d, err := ParseText(src)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(d.JSON())
	}
	f.Add([]byte(`{"and":[{"everyone":true}]}`))
	f.Add([]byte(`{"trait":{"path":"a","op":"matches","value":"(a+)+"}}`))
	f.Add([]byte(`{"performed":{"event":"A","window":{"from_ago":"30d","to_ago":"7d"}}}`))
	f.Add([]byte(`{"random_bucket":{"percent":1e2}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseJSON(data)
		if err != nil {
			return
		}
		checkRoundTrip(t, d)
	})
}

func FuzzParseText(f *testing.F) {
	for _, src := range textCases {
		f.Add(src)
	}
	f.Add(`trait a = `)
	f.Add(`((((not everyone))))`)
	f.Add(`trait "\u00e9" = "\ud83d\ude00"`)
	f.Add(`performed "A" where x between -1 and 1e3 count != 2 from 2w ago to 1h ago`)
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseText(src)
		if err != nil {
			return
		}
		checkRoundTrip(t, d)
	})
}
