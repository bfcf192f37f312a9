package importer

import (
	"testing"

	"github.com/stretchr/testify/require"
)

type rowWant struct {
	line  int
	event string // JSON without messageId and context.library
}

func TestReaderCSV(t *testing.T) {
	t.Parallel()
	people := map[string]string{"Email": "email", "First Name": "first_name", "Zip": "address.postal_code"}
	spec := func(mod func(*Spec)) Spec {
		s := Spec{SourceName: "crm", IDColumn: "Id", Map: people}
		if mod != nil {
			mod(&s)
		}
		return s
	}
	tests := []struct {
		name    string
		spec    Spec
		in      string
		want    []rowWant
		rejects []rejectWant
	}{
		{
			name: "mapped identify with nested path",
			spec: spec(nil),
			in:   "Id,Email,First Name,Zip,Extra\nu1,pia@nto.example,Pia,02134,ignored\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"address":{"postal_code":"02134"},"email":"pia@nto.example","first_name":"Pia"}}`}},
		},
		{
			name: "quoted commas, doubled quotes and newlines",
			spec: spec(nil),
			in:   "Id,Email,First Name,Zip\n\"u,1\",a@x.io,\"Pia \"\"P\"\"\nline two\",\"021\n34\"\nu2,b@x.io,Bo,1\n",
			want: []rowWant{
				{2, `{"type":"identify","userId":"u,1","traits":{"address":{"postal_code":"021\n34"},"email":"a@x.io","first_name":"Pia \"P\"\nline two"}}`},
				{5, `{"type":"identify","userId":"u2","traits":{"address":{"postal_code":"1"},"email":"b@x.io","first_name":"Bo"}}`},
			},
		},
		{
			name: "BOM and CRLF, CRLF inside quotes becomes LF",
			spec: spec(nil),
			in:   "\ufeffId,Email,First Name,Zip\r\nu1,a@x.io,\"A\r\nB\",9\r\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"address":{"postal_code":"9"},"email":"a@x.io","first_name":"A\nB"}}`}},
		},
		{
			name: "no trailing newline, blank lines skipped, spaces around header names",
			spec: spec(nil),
			in:   " Id , Email ,First Name,Zip\n\nu1,a@x.io,A,1\n\r\n\nu2,b@x.io,B,2",
			want: []rowWant{
				{3, `{"type":"identify","userId":"u1","traits":{"address":{"postal_code":"1"},"email":"a@x.io","first_name":"A"}}`},
				{6, `{"type":"identify","userId":"u2","traits":{"address":{"postal_code":"2"},"email":"b@x.io","first_name":"B"}}`},
			},
		},
		{
			name: "empty cells are left out, empty objects too",
			spec: spec(nil),
			in:   "Id,Email,First Name,Zip\nu1,,,\nu2,,\"\",7\n",
			want: []rowWant{
				{2, `{"type":"identify","userId":"u1"}`},
				{3, `{"type":"identify","userId":"u2","traits":{"address":{"postal_code":"7"}}}`},
			},
		},
		{
			name: "wrong column count is rejected and the rest imported",
			spec: spec(nil),
			in:   "Id,Email,First Name,Zip\nu1,a@x.io,A\nu2,b@x.io,B,2,extra\nu3,c@x.io,C,3\n",
			want: []rowWant{{4, `{"type":"identify","userId":"u3","traits":{"address":{"postal_code":"3"},"email":"c@x.io","first_name":"C"}}`}},
			rejects: []rejectWant{
				{2, "", "column count 3, header has 4 — check quoting"},
				{3, "", "column count 5, header has 4"},
			},
		},
		{
			name:    "invalid UTF-8 names the column",
			spec:    spec(nil),
			in:      "Id,Email,First Name,Zip\nu1,a@x.io,Ren\xe9e,1\nu2,b@x.io,B,2\n",
			want:    []rowWant{{3, `{"type":"identify","userId":"u2","traits":{"address":{"postal_code":"2"},"email":"b@x.io","first_name":"B"}}`}},
			rejects: []rejectWant{{2, "First Name", "invalid UTF-8 (byte 0xe9 at offset 3)"}},
		},
		{
			name:    "text after a closing quote, then recovery on the next line",
			spec:    spec(nil),
			in:      "Id,Email,First Name,Zip\nu1,\"a\"b,A,1\nu2,b@x.io,B,2\n",
			want:    []rowWant{{3, `{"type":"identify","userId":"u2","traits":{"address":{"postal_code":"2"},"email":"b@x.io","first_name":"B"}}`}},
			rejects: []rejectWant{{2, "Email", "text after the closing quote"}},
		},
		{
			name:    "quote never closed",
			spec:    spec(nil),
			in:      "Id,Email,First Name,Zip\nu1,a@x.io,\"A,1\nu2,b@x.io,B,2\n",
			rejects: []rejectWant{{2, "First Name", "not closed before the end of the file"}},
		},
		{
			name: "a quote inside an unquoted field is literal",
			spec: Spec{SourceName: "s", IDColumn: "id"},
			in:   "id,height\nu1,5'10\"\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"height":"5'10\""}}`}},
		},
		{
			name:    "missing id",
			spec:    spec(nil),
			in:      "Id,Email,First Name,Zip\n  ,a@x.io,A,1\n",
			rejects: []rejectWant{{2, "Id", "missing id"}},
		},
		{
			name: "no map: every other column under its own name",
			spec: Spec{SourceName: "s", IDColumn: "id"},
			in:   "id,plan,address.city,\nu1,gold,Oslo,\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"address.city":"Oslo","plan":"gold"}}`}},
		},
		{
			name: "typed mappings",
			spec: Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"Age": "age:int", "Revenue": "revenue:float", "VIP": "vip:bool", "Zip": "zip:string", "Big": "big:int"}},
			in:   "id,Age,Revenue,VIP,Zip,Big\nu1, 42 ,19.90,yes,02134,4e3\nu2,-7,1e3,FALSE,1,9223372036854775807\n",
			want: []rowWant{
				{2, `{"type":"identify","userId":"u1","traits":{"age":42,"big":4000,"revenue":19.9,"vip":true,"zip":"02134"}}`},
				{3, `{"type":"identify","userId":"u2","traits":{"age":-7,"big":9223372036854775807,"revenue":1000,"vip":false,"zip":"1"}}`},
			},
		},
		{
			name: "typed mapping errors",
			spec: Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"Age": "age:int", "Revenue": "revenue:float", "VIP": "vip:bool"}},
			in:   "id,Age,Revenue,VIP\nu1,4.5,1,y\nu2,1,NaN,y\nu3,1,1,maybe\n",
			rejects: []rejectWant{
				{2, "Age", `"4.5" is not an integer (--map Age=age:int)`},
				{3, "Revenue", "is not a number"},
				{4, "VIP", "is not a boolean"},
			},
		},
		{
			name: "email as the identifier on identify",
			spec: Spec{SourceName: "s", IDColumn: "Email", IDType: IDEmail, Map: map[string]string{"Email": "email", "CustomerID": "userId"}},
			in:   "Email,CustomerID\n Pia@NTO.example ,c-1\nnot-an-email,c-2\nb@x.io,\n",
			want: []rowWant{
				{2, `{"type":"identify","userId":"c-1","traits":{"email":"Pia@NTO.example"}}`},
				{4, `{"type":"identify","traits":{"email":"b@x.io"}}`},
			},
			rejects: []rejectWant{{3, "Email", `"not-an-email" is not an email address`}},
		},
		{
			name: "anonymous id and context mapping",
			spec: Spec{SourceName: "s", IDColumn: "anon", IDType: IDAnonymousID, Map: map[string]string{"ip": "context.ip", "plan": "plan"}},
			in:   "anon,ip,plan\na-1,10.0.0.1,gold\n",
			want: []rowWant{{2, `{"type":"identify","anonymousId":"a-1","traits":{"plan":"gold"},"context":{"ip":"10.0.0.1"}}`}},
		},
		{
			name: "track with a fixed event, email in context.traits, timestamps",
			spec: Spec{SourceName: "pos", IDColumn: "Email", IDType: IDEmail, Event: "Order Completed", TimestampColumn: "Date", Map: map[string]string{"Total": "revenue:float", "Order": "order_id"}},
			in: "Email,Date,Total,Order\n" +
				"a@x.io,2024-05-01T13:45:00+02:00,10.5,o1\n" +
				"a@x.io,2024-05-01 13:45:00.123,1,o2\n" +
				"a@x.io,2024-05-01,1,o3\n" +
				"a@x.io,1714571100,1,o4\n" +
				"a@x.io,1714571100123,1,o5\n" +
				"a@x.io,yesterday,1,o6\n" +
				"a@x.io,,1,o7\n",
			want: []rowWant{
				{2, `{"type":"track","event":"Order Completed","properties":{"order_id":"o1","revenue":10.5},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T11:45:00Z"}`},
				{3, `{"type":"track","event":"Order Completed","properties":{"order_id":"o2","revenue":1},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T13:45:00.123Z"}`},
				{4, `{"type":"track","event":"Order Completed","properties":{"order_id":"o3","revenue":1},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T00:00:00Z"}`},
				{5, `{"type":"track","event":"Order Completed","properties":{"order_id":"o4","revenue":1},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T13:45:00Z"}`},
				{6, `{"type":"track","event":"Order Completed","properties":{"order_id":"o5","revenue":1},"context":{"traits":{"email":"a@x.io"}},"timestamp":"2024-05-01T13:45:00.123Z"}`},
			},
			rejects: []rejectWant{
				{7, "Date", `cannot parse timestamp "yesterday" — use RFC 3339`},
				{8, "Date", "missing timestamp"},
			},
		},
		{
			name: "track with an event column and a custom time format",
			spec: Spec{SourceName: "s", IDColumn: "uid", EventColumn: "what", TimestampColumn: "when", TimeFormat: "02/01/2006 15:04"},
			in:   "uid,what,when,sku\nu1,Product Viewed,31/12/2023 23:59,S-1\nu1,,31/12/2023 23:59,S-2\nu1,Product Viewed,2023-12-31,S-3\n",
			want: []rowWant{{2, `{"type":"track","userId":"u1","event":"Product Viewed","properties":{"sku":"S-1"},"timestamp":"2023-12-31T23:59:00Z"}`}},
			rejects: []rejectWant{
				{3, "what", "missing event name"},
				{4, "when", `does not match --time-format "02/01/2006 15:04"`},
			},
		},
		{
			name: "semicolon delimiter detected from the header",
			spec: Spec{SourceName: "s", IDColumn: "id"},
			in:   "id;name;\"a;b\"\nu1;Pia, P;x\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"a;b":"x","name":"Pia, P"}}`}},
		},
		{
			name: "explicit tab delimiter",
			spec: Spec{SourceName: "s", IDColumn: "id", Delimiter: '\t'},
			in:   "id\tnote\nu1\ta,b;c\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"note":"a,b;c"}}`}},
		},
		{
			name: "control characters and unicode are escaped as JSON",
			spec: Spec{SourceName: "s", IDColumn: "id"},
			in:   "id,note\nu1,\"tab\there \x01 \\ é 😀\"\n",
			want: []rowWant{{2, `{"type":"identify","userId":"u1","traits":{"note":"tab\there \u0001 \\ é 😀"}}`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := readAll(t, []byte(tc.in), tc.spec)
			require.NoError(t, g.err)
			require.Len(t, g.rows, len(tc.want))
			for i, w := range tc.want {
				require.Equal(t, w.line, g.rows[i].Line)
				require.JSONEq(t, w.event, norm(t, g.rows[i].Event))
			}
			checkRejects(t, tc.rejects, g.rejects)
			for _, re := range g.rejects {
				require.NotEmpty(t, re.Raw, "a reject keeps the original row")
			}
		})
	}
}

func TestReaderCSVRejectRaw(t *testing.T) {
	t.Parallel()
	in := "id,a,b\nu1,\"x\ny\"\nu2,1,2\n"
	g := readAll(t, []byte(in), Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, g.err)
	require.Len(t, g.rejects, 1)
	require.Equal(t, "u1,\"x\ny\"", string(g.rejects[0].Raw))
	require.Equal(t, `line 2: column count 2, header has 3 — check quoting and the delimiter`, g.rejects[0].Error())
}

func TestReaderCSVSetupErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec Spec
		in   string
		is   error
		msg  string
	}{
		{"unknown mapped column lists the columns", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"email": "email", "Phone": "phone"}},
			"id,Email,Name\n", ErrUnknownColumn, `"Phone", "email" (did you mean "Email"?) not in the header; the file has columns "id", "Email", "Name"`},
		{"unknown id column", Spec{SourceName: "s", IDColumn: "uid"}, "id,Email\n", ErrUnknownColumn, `"uid"`},
		{"unknown timestamp column", Spec{SourceName: "s", IDColumn: "id", Event: "E", TimestampColumn: "ts"}, "id\n", ErrUnknownColumn, `"ts"`},
		{"id column required", Spec{SourceName: "s"}, "id,Email\n", ErrInvalidSpec, `--id-column is required: name the column holding each row's identifier; the file has columns "id", "Email"`},
		{"empty file", Spec{SourceName: "s", IDColumn: "id"}, "", ErrBadHeader, "the file is empty"},
		{"only blank lines", Spec{SourceName: "s", IDColumn: "id"}, "\n\r\n\n", ErrBadHeader, "the file is empty"},
		{"UTF-16", Spec{SourceName: "s", IDColumn: "id"}, "\xff\xfei\x00d\x00", ErrUnsupportedEncoding, "UTF-16"},
		{"NUL bytes", Spec{SourceName: "s", IDColumn: "id"}, "i\x00d\x00,\x00", ErrUnsupportedEncoding, "NUL bytes"},
		{"header not UTF-8", Spec{SourceName: "s", IDColumn: "id"}, "id,Pr\xe9nom\n", ErrUnsupportedEncoding, "not valid UTF-8"},
		{"duplicate header in passthrough", Spec{SourceName: "s", IDColumn: "id"}, "id,a,a\n", ErrBadHeader, `column "a" appears twice in the header (columns 2 and 3)`},
		{"duplicate mapped header", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"a": "x"}}, "id,a,a\n", ErrBadHeader, `column "a" appears twice`},
		{"two columns on one path", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"a": "x.y", "b": "x.y"}}, "id,a,b\n", ErrInvalidSpec, "--map a=x.y and --map b=x.y both write x.y"},
		{"leaf and object on one path", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"a": "x", "b": "x.y"}}, "id,a,b\n", ErrInvalidSpec, "both write x"},
		{"email id and another email column", Spec{SourceName: "s", IDColumn: "id", IDType: IDEmail, Map: map[string]string{"e2": "email"}}, "id,e2\n", ErrInvalidSpec, "both write email"},
		{"two userId columns", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"u": "userId"}}, "id,u\n", ErrInvalidSpec, "both write userId"},
		{"context.library is reserved", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"a": "context.library"}}, "id,a\n", ErrInvalidSpec, "context.library"},
		{"unclosed quote in header", Spec{SourceName: "s", IDColumn: "id"}, "id,\"a\n", ErrBadHeader, "line 1"},
		{"track without an event", Spec{SourceName: "s", IDColumn: "id", Kind: KindTrack}, "id\n", ErrInvalidSpec, "--event NAME or --event-column"},
		{"no source", Spec{IDColumn: "id"}, "id\n", ErrInvalidSpec, "--source"},
		{"bad kind", Spec{SourceName: "s", IDColumn: "id", Kind: "page"}, "id\n", ErrInvalidSpec, `kind "page"`},
		{"bad id type", Spec{SourceName: "s", IDColumn: "id", IDType: "phone"}, "id\n", ErrInvalidSpec, `id type "phone"`},
		{"event on identify", Spec{SourceName: "s", IDColumn: "id", Kind: KindIdentify, Event: "E"}, "id\n", ErrInvalidSpec, "apply to track rows"},
		{"both event flags", Spec{SourceName: "s", IDColumn: "id", Event: "E", EventColumn: "e"}, "id\n", ErrInvalidSpec, "not both"},
		{"bad delimiter", Spec{SourceName: "s", IDColumn: "id", Delimiter: '"'}, "id\n", ErrInvalidSpec, "delimiter"},
		{"bad target", Spec{SourceName: "s", IDColumn: "id", Map: map[string]string{"a": "x..y"}}, "id,a\n", ErrInvalidSpec, "empty segment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := readAll(t, []byte(tc.in), tc.spec)
			require.ErrorIs(t, g.err, tc.is)
			require.ErrorContains(t, g.err, tc.msg)
		})
	}
}

func TestReaderCSVLongLines(t *testing.T) {
	t.Parallel()
	long := make([]byte, maxLineBytes+10)
	for i := range long {
		long[i] = 'x'
	}
	in := "id,a\n" + "u1," + string(long) + "\nu2,ok\n"
	g := readAll(t, []byte(in), Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, g.err)
	checkRejects(t, []rejectWant{{2, "", "longer than 1 MiB"}}, g.rejects)
	require.LessOrEqual(t, len(g.rejects[0].Raw), maxRawBytes)
	require.Len(t, g.rows, 1)
	require.Equal(t, 3, g.rows[0].Line)

	// A stray quote that never closes stops swallowing lines after 1 MiB.
	var b []byte
	b = append(b, "id,a\nu0,\"open\n"...)
	for len(b) < maxLineBytes+100 {
		b = append(b, "u9,filler line\n"...)
	}
	b = append(b, "u1,after\n"...)
	g = readAll(t, b, Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, g.err)
	require.Len(t, g.rejects, 1)
	require.Contains(t, g.rejects[0].Reason, "still open after 1 MiB")
	require.NotEmpty(t, g.rows)
	require.JSONEq(t, `{"type":"identify","userId":"u1","traits":{"a":"after"}}`, norm(t, g.rows[len(g.rows)-1].Event))
}

func TestReaderEventSizeLimit(t *testing.T) {
	t.Parallel()
	big := make([]byte, maxEventBytes)
	for i := range big {
		big[i] = 'a'
	}
	in := "id,a\nu1," + string(big) + "\nu2,b\n"
	g := readAll(t, []byte(in), Spec{SourceName: "s", IDColumn: "id"})
	require.NoError(t, g.err)
	checkRejects(t, []rejectWant{{2, "", "over the 32 KiB limit"}}, g.rejects)
	require.Len(t, g.rows, 1)
}
