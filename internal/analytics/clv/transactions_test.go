package clv_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseCDNOW(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  []clv.Transaction
		line  int    // of the error, 0 for none
		error string // substring
	}{
		{
			name: "four fields",
			in:   "00001 19970101  1   11.77\n00002 19970112  2   12.00\n",
			want: []clv.Transaction{
				{Customer: "00001", Time: date(1997, 1, 1), Value: 11.77},
				{Customer: "00002", Time: date(1997, 1, 12), Value: 12},
			},
		},
		{
			name: "sample layout names the sample id",
			in:   " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n",
			want: []clv.Transaction{
				{Customer: "0001", Time: date(1997, 1, 1), Value: 29.33},
				{Customer: "0001", Time: date(1997, 1, 18), Value: 29.73},
			},
		},
		{
			name: "header and blank lines",
			in:   " customer_id  date number_of_cds  dollar_value\r\n\r\n 00001 19970101  1   11.77\r\n\n",
			want: []clv.Transaction{{Customer: "00001", Time: date(1997, 1, 1), Value: 11.77}},
		},
		{name: "empty", in: "", want: nil},
		{name: "bad date", in: "1 19970101 1 2\n2 19971301 1 2\n", line: 2, error: `bad date "19971301"`},
		{name: "short date", in: "1 1997011 1 2\n", line: 1, error: "bad date"},
		{name: "too few fields", in: "1 19970101 1 2\n\n1 19970102 1\n", line: 3, error: "want 4 fields"},
		{name: "too many fields", in: "1 x 19970101 1 2 3\n", line: 1, error: "got 6"},
		{name: "bad value", in: "1 19970101 1 2\n1 19970102 1 abc\n", line: 2, error: `bad value "abc"`},
		{name: "infinite value", in: "1 19970101 1 Inf\n", line: 1, error: "finite"},
		{name: "negative quantity", in: "1 19970101 -1 2\n", line: 1, error: "bad quantity"},
		{name: "header only allowed first", in: "1 19970101 1 2\ncustomer date qty value\n", line: 2, error: "bad date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := clv.ParseCDNOW(strings.NewReader(tc.in))
			if tc.line == 0 {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			var pe *clv.ParseError
			require.True(t, errors.As(err, &pe), "want a *ParseError, got %v", err)
			require.Equal(t, tc.line, pe.Line)
			require.ErrorContains(t, err, tc.error)
			require.True(t, strings.HasPrefix(err.Error(), "line "), err.Error())
		})
	}
}

func TestParseCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  []clv.Transaction
		line  int
		error string
	}{
		{
			name: "header",
			in:   "customer_id,timestamp,value\nc1,2024-03-01T10:00:00Z,10.5\nc2,2024-03-02,3\n",
			want: []clv.Transaction{
				{Customer: "c1", Time: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Value: 10.5},
				{Customer: "c2", Time: date(2024, 3, 2), Value: 3},
			},
		},
		{
			name: "header in another order with extra columns and a BOM",
			in:   "\ufeffamount,store,Customer,date\r\n7,north,\"a, b\",20240105\r\n",
			want: []clv.Transaction{{Customer: "a, b", Time: date(2024, 1, 5), Value: 7}},
		},
		{
			name: "no header",
			in:   "c1,2024-03-01 10:00:00,1\nc1, 2024-03-01T23:00:00+02:00 ,2\n",
			want: []clv.Transaction{
				{Customer: "c1", Time: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Value: 1},
				{Customer: "c1", Time: time.Date(2024, 3, 1, 23, 0, 0, 0, time.FixedZone("", 2*3600)), Value: 2},
			},
		},
		{name: "blank line", in: "c1,2024-03-01,1\n\nc2,2024-03-02,2\n", want: []clv.Transaction{
			{Customer: "c1", Time: date(2024, 3, 1), Value: 1}, {Customer: "c2", Time: date(2024, 3, 2), Value: 2},
		}},
		{name: "incomplete header", in: "customer_id,when,value\n", line: 1, error: "lacks a timestamp column"},
		{name: "bad timestamp", in: "customer_id,timestamp,value\nc1,2024-03-01,1\nc1,yesterday,1\n", line: 3, error: `bad timestamp "yesterday"`},
		{name: "bad value", in: "c1,2024-03-01,1\nc1,2024-03-02,NaN\n", line: 2, error: "bad value"},
		{name: "missing field", in: "c1,2024-03-01,1\nc1,2024-03-02\n", line: 2, error: "want at least 3 fields"},
		{name: "empty id", in: "c1,2024-03-01,1\n ,2024-03-02,1\n", line: 2, error: "empty customer id"},
		{name: "broken quote", in: "c1,2024-03-01,1\n\"c2,2024-03-02,1\n", line: 2, error: "quote"},
		{name: "multi-line quoted id reports its first line", in: "c1,2024-03-01,1\n\"c\n2\",2024-03-02,x\n", line: 2, error: "bad value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := clv.ParseCSV(strings.NewReader(tc.in))
			if tc.line == 0 {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			var pe *clv.ParseError
			require.True(t, errors.As(err, &pe), "want a *ParseError, got %v", err)
			require.Equal(t, tc.line, pe.Line, err.Error())
			require.ErrorContains(t, err, tc.error)
		})
	}
}

// checkParsed holds for every successful parse: ids are non-empty and values finite.
func checkParsed(t *testing.T, txs []clv.Transaction, err error) {
	if err != nil {
		var pe *clv.ParseError
		if errors.As(err, &pe) {
			require.Positive(t, pe.Line)
		}
		return
	}
	for _, tx := range txs {
		require.NotEmpty(t, strings.TrimSpace(tx.Customer))
		require.Equal(t, tx.Value, tx.Value, "NaN value")
	}
	// Whatever parses can be summarized without error or panic.
	if len(txs) > 0 {
		cs, err := clv.Summarize(txs, time.Time{}, week)
		require.NoError(t, err)
		for _, c := range cs {
			require.GreaterOrEqual(t, c.T, c.TX)
			require.GreaterOrEqual(t, c.X, 0)
		}
	}
}

func FuzzParseCDNOW(f *testing.F) {
	f.Add(" 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n")
	f.Add(" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n")
	f.Add("1 19970101 1 2\n1 19971301 1 2\n")
	f.Add("a 20000229 0 -0.5\n\n\nb 19991231 1e3 1e308\n")
	f.Fuzz(func(t *testing.T, in string) {
		txs, err := clv.ParseCDNOW(strings.NewReader(in))
		checkParsed(t, txs, err)
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add("customer_id,timestamp,value\nc1,2024-03-01T10:00:00Z,10.5\nc2,2024-03-02,3\n")
	f.Add("\ufeffamount,store,Customer,date\r\n7,north,\"a, b\",20240105\r\n")
	f.Add("c1,2024-03-01 10:00:00,1\n\"c\n2\",2024-03-02,x\n")
	f.Add("id,time,revenue\n1,0001-01-01T00:00:00Z,0\n1,9999-12-31T23:59:59-23:59,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		txs, err := clv.ParseCSV(strings.NewReader(in))
		checkParsed(t, txs, err)
	})
}
