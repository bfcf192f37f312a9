package importer

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseMap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want map[string]string
		err  string
	}{
		{"Email=email,Phone=phone", map[string]string{"Email": "email", "Phone": "phone"}, ""},
		{" First Name = first_name , Zip=address.postal_code ,", map[string]string{"First Name": "first_name", "Zip": "address.postal_code"}, ""},
		{`"Last, First"=name,"a""b=c"=x:int`, map[string]string{"Last, First": "name", `a"b=c`: "x:int"}, ""},
		{"Age=age:int,,VIP=vip:bool", map[string]string{"Age": "age:int", "VIP": "vip:bool"}, ""},
		{"Ratio=stats:ratio", map[string]string{"Ratio": "stats:ratio"}, ""}, // not a type: part of the path
		{"Email", nil, `--map item "Email" has no '='`},
		{"Email,Phone=phone", nil, `--map item "Email" has no '='`},
		{"=email", nil, "empty column name"},
		{"Email=", nil, "empty target path"},
		{"Email=a..b", nil, "empty segment"},
		{"Email=context", nil, "inside context"},
		{`"Email=email`, nil, "unclosed quote"},
		{`"Email"email`, nil, "expected '='"},
		{"Email=email,Email=mail", nil, "mapped twice"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := map[string]string{}
			err := ParseMap(tc.in, got)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestSpecFlags(t *testing.T) {
	t.Parallel()
	var s Spec
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{
		"--source", "pos", "--map", "Email=email", "--map", "Total=revenue:float,Sku=sku",
		"--id-column", "Email", "--id-type", "email", "--event", "Order Completed",
		"--timestamp-column", "Date", "--time-format", "2006-01-02", "--delimiter", "tab", "--format", "csv",
	}))
	require.Equal(t, Spec{
		SourceName: "pos", Format: FormatCSV, Map: map[string]string{"Email": "email", "Total": "revenue:float", "Sku": "sku"},
		IDColumn: "Email", IDType: IDEmail, Event: "Order Completed", TimestampColumn: "Date", TimeFormat: "2006-01-02", Delimiter: '\t',
	}, s)
	require.NoError(t, s.Validate())
	require.Equal(t, KindTrack, s.withDefaults().Kind)

	for _, bad := range [][]string{{"--delimiter", "ab"}, {"--delimiter", `"`}, {"--map", "x"}} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var s Spec
		s.RegisterFlags(fs)
		require.Error(t, fs.Parse(bad), "%v", bad)
	}
}
