package attribution

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParsePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		opts ParseOptions
		want []Path
	}{
		{"channel attribution format", "path;total_conversions;total_conversion_value;total_null\nA > B;2;3.5;1\nC;0;0;4\n", ParseOptions{},
			[]Path{{Channels: []string{"A", "B"}, Conversions: 2, Value: 3.5, Nulls: 1}, {Channels: []string{"C"}, Nulls: 4}}},
		{"no header", "A>B;1\nB > A;2;7\n", ParseOptions{},
			[]Path{{Channels: []string{"A", "B"}, Conversions: 1}, {Channels: []string{"B", "A"}, Conversions: 2, Value: 7}}},
		{"columns in any order, extra ignored", "total_null,id,path,total_conversions\n3,x,a|b,1\n", ParseOptions{Sep: ",", ChannelSep: "|"},
			[]Path{{Channels: []string{"a", "b"}, Conversions: 1, Nulls: 3}}},
		{"tabs, quotes, CRLF, BOM, blank lines", "\uFEFFpath\ttotal_conversions\r\n\r\n\"paid search > email\"\t1\r\n", ParseOptions{Sep: "\t"},
			[]Path{{Channels: []string{"paid search", "email"}, Conversions: 1}}},
		{"multi-character channel separator", "path;total_conversions\nA -> B -> A;1\n", ParseOptions{ChannelSep: "->"},
			[]Path{{Channels: []string{"A", "B", "A"}, Conversions: 1}}},
		{"header only", "path;total_conversions;total_conversion_value;total_null\n", ParseOptions{}, nil},
		{"empty file", "", ParseOptions{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePaths(strings.NewReader(tt.in), tt.opts)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParsePathsErrors(t *testing.T) {
	t.Parallel()
	const head = "path;total_conversions;total_conversion_value;total_null\n"
	tests := []struct {
		name string
		in   string
		opts ParseOptions
		line int
		msg  string
	}{
		{"bad number", head + "A;1;1;0\nB;x;1;0\n", ParseOptions{}, 3, `field 2: "x" is not a number`},
		{"negative", head + "A;1;-1;0\n", ParseOptions{}, 2, "non-negative"},
		{"value without conversions", head + "A;0;3;1\n", ParseOptions{}, 2, "value 3 without conversions"},
		{"NaN", head + "A;NaN;1;0\n", ParseOptions{}, 2, "finite"},
		{"empty channel", head + "A;1;1;0\nA > > B;1;1;0\n", ParseOptions{}, 3, `empty channel name in path "A > > B"`},
		{"empty path", head + " ;1;1;0\n", ParseOptions{}, 2, "empty path"},
		{"missing field", head + "A;1;1\n", ParseOptions{}, 2, "3 fields, want 4"},
		{"too many fields, no header", "A;1;1;0;9\n", ParseOptions{}, 1, "5 fields, want 2 to 4"},
		{"header without conversions", "path;total_null\nA;1\n", ParseOptions{}, 1, "want at least the columns path and total_conversions"},
		{"first row neither header nor path", "A;x;1;0\n", ParseOptions{}, 1, `neither a header (no column is named path or total_conversions) nor a path (field 2: "x" is not a number)`},
		{"header naming a column twice", "path;conversions;total_conversions\n", ParseOptions{}, 1, "twice"},
		{"line count after blank lines", head + "\n\nA;1;1;oops\n", ParseOptions{}, 4, "oops"},
		{"unterminated quote swallows the line", head + "\"A;1;1;0\n", ParseOptions{}, 2, "1 fields, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParsePaths(strings.NewReader(tt.in), tt.opts)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			require.Equal(t, tt.line, pe.Line, "%v", err)
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

func TestParseOptionsErrors(t *testing.T) {
	t.Parallel()
	for _, o := range []ParseOptions{{Sep: ";;"}, {Sep: "\""}, {Sep: "\x00"}, {ChannelSep: " "}, {Sep: ">", ChannelSep: ">"}} {
		_, err := ParsePaths(strings.NewReader("A;1\n"), o)
		require.Error(t, err, "%+v", o)
	}
}

func TestParseData(t *testing.T) {
	t.Parallel()
	paths := loadPaths(t, "Data.csv")
	require.Len(t, paths, 10000)
	var conv, value, nulls float64
	longest := 0
	for _, p := range paths {
		conv += p.Conversions
		value += p.Value
		nulls += p.Nulls
		longest = max(longest, len(p.Channels))
	}
	require.InDelta(t, 19785, conv, 1e-9)
	require.InDelta(t, 74802.972, value, 1e-3)
	require.InDelta(t, 68602, nulls, 1e-9)
	require.Equal(t, 89, longest)
	require.Equal(t, []string{"eta", "iota", "alpha", "eta"}, paths[0].Channels)
}
