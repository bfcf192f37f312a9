package attribution

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func FuzzParsePaths(f *testing.F) {
	f.Add([]byte("path;total_conversions;total_conversion_value;total_null\nA > B > A;1;1;0\nA;0;0;3\n"), ";", ">")
	f.Add([]byte("A>B;1\n\"x > y\";2;3\n"), ";", ">")
	f.Add([]byte("total_null,path,total_conversions\n1,a|b,2\n"), ",", "|")
	f.Add([]byte("\uFEFFpath\ttotal_conversions\r\nA->B\t1e3\r\n"), "\t", "->")
	f.Add([]byte("path;total_conversions\n > ;1\nA;-1\n"), ";", ">")
	f.Fuzz(func(t *testing.T, in []byte, sep, chSep string) {
		paths, err := ParsePaths(bytes.NewReader(in), ParseOptions{Sep: sep, ChannelSep: chSep})
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && pe.Line < 1 {
				t.Fatalf("line %d in %v", pe.Line, err)
			}
			return
		}
		for i, p := range paths {
			if len(p.Channels) == 0 {
				t.Fatalf("path %d has no channel", i)
			}
			for _, c := range p.Channels {
				if c == "" || strings.TrimSpace(c) != c {
					t.Fatalf("path %d: channel %q", i, c)
				}
			}
		}
		if len(paths) > 200 {
			return
		}
		res, err := Run(paths, []string{First, Linear, Position, Markov, Shapley}, Options{Order: 2, IncludeNulls: true})
		if err != nil {
			t.Fatalf("run on parsed paths: %v", err)
		}
		requireSums(t, res)
	})
}
