package template

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateAcceptsEveryChannel(t *testing.T) {
	t.Parallel()
	tests := []Template{
		{Name: "e1", Channel: ChannelEmail, Subject: "Hi", HTML: "<p>x</p>"},
		{Name: "e2", Channel: ChannelEmail, Subject: "Hi", Text: "x"},
		{Name: "e3", Channel: ChannelEmail, Subject: "Hi", HTML: "<p>x</p>", Text: "x"},
		{Name: "s", Channel: ChannelSMS, Body: "x"},
		{Name: "p", Channel: ChannelPush, Title: "t", Body: "x", Data: map[string]string{"url": "{{ event.name }}"}},
		{Name: "i", Channel: ChannelInApp, Body: "x", Data: map[string]string{"k": ""}},
		{Name: "w", Channel: ChannelWebhook, Body: `{"a": "{{ profile.id }}"}`, Headers: map[string]string{"X-Cairn_Id": "{{ message.key }}"}},
		{Name: "d", Channel: ChannelDirectMail, Body: "<p>{{ profile.name }}</p>"},
		{Name: "k", Channel: ChannelTask, Body: "Call {{ profile.name }}"},
	}
	for _, tm := range tests {
		t.Run(tm.Name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, tm.Validate())
		})
	}
}

func TestValidateProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tmpl Template
		want []Problem // Message is matched as a substring
	}{
		{
			name: "unknown channel and no name",
			tmpl: Template{Channel: "fax", Body: "x"},
			want: []Problem{
				{Field: "name", Message: "is required"},
				{Field: "channel", Message: `unknown channel "fax"; use one of direct_mail, email, inapp, push, sms, task, webhook`},
			},
		},
		{
			name: "email without subject or content",
			tmpl: Template{Name: "n", Channel: ChannelEmail, Subject: "  "},
			want: []Problem{
				{Field: "subject", Message: "is required for email templates"},
				{Field: "html", Message: "email templates need html or text (or both)"},
			},
		},
		{
			name: "foreign parts",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "b", Subject: "s", HTML: "h", Data: map[string]string{"a": "b"}, Headers: map[string]string{"H": "v"}},
			want: []Problem{
				{Field: "subject", Message: "sms templates have no subject part; remove it"},
				{Field: "html", Message: "sms templates have no html part"},
				{Field: "data", Message: "sms templates have no data part"},
				{Field: "headers", Message: "sms templates have no headers part"},
			},
		},
		{
			name: "required body",
			tmpl: Template{Name: "n", Channel: ChannelWebhook},
			want: []Problem{{Field: "body", Message: "is required for webhook templates"}},
		},
		{
			name: "syntax error names part and line",
			tmpl: Template{Name: "n", Channel: ChannelEmail, Subject: "ok", HTML: "<p>\n\n{{ profile.name | }}\n</p>"},
			want: []Problem{{Field: "html", Line: 3, Message: "syntax error"}},
		},
		{
			name: "unterminated block",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "a\n{% if profile.vip %}\nb"},
			want: []Problem{{Field: "body", Line: 2, Message: `unterminated "if" block; close the block with its end tag`}},
		},
		{
			name: "unknown tag",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "{% render 'x' %}"},
			want: []Problem{{Field: "body", Line: 1, Message: `undefined tag "render"; supported tags`}},
		},
		{
			name: "clause outside block",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "{% else %}"},
			want: []Problem{{Field: "body", Line: 1, Message: "not inside"}},
		},
		{
			name: "unknown filter in output and in assign",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "{{ profile.name | upcasee }}\n{% assign x = 'a|b' | titlecase: 1 %}"},
			want: []Problem{
				{Field: "body", Line: 1, Message: `unknown filter "upcasee"; available filters: abs,`},
				{Field: "body", Line: 2, Message: `unknown filter "titlecase"`},
			},
		},
		{
			name: "internal filters are not for authors",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "{{ x | cairn_out_text: 0 }}"},
			want: []Problem{{Field: "body", Line: 1, Message: `unknown filter "cairn_out_text"`}},
		},
		{
			name: "messages quote the author's expression",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "{{ %assign x = 1 }}\n{% if %assign y = 2 %}{% endif %}"},
			want: []Problem{{Field: "body", Line: 1, Message: `syntax error in "%assign x = 1";`}},
		},
		{
			name: "include rejected",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "x\n{% include '/etc/passwd' %}"},
			want: []Problem{{Field: "body", Line: 2, Message: "the include tag is not supported"}},
		},
		{
			name: "unclosed output",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "Hi\n{{ profile.first_name |\n upcase }} there {% if"},
			want: []Problem{
				{Field: "body", Line: 2, Message: `"{{" is not closed`},
				{Field: "body", Line: 3, Message: `"{%" is not closed`},
			},
		},
		{
			name: "problems in several parts are all reported",
			tmpl: Template{Name: "n", Channel: ChannelPush, Title: "{{ a | nope }}", Body: "{% endif %}", Data: map[string]string{"": "x", "k": "{{"}},
			want: []Problem{
				{Field: "title", Line: 1, Message: `unknown filter "nope"`},
				{Field: "body", Line: 1, Message: "not inside"},
				{Field: "data.", Message: "data keys must not be empty"},
				{Field: "data.k", Line: 1, Message: `"{{" is not closed`},
			},
		},
		{
			name: "bad header name",
			tmpl: Template{Name: "n", Channel: ChannelWebhook, Body: "{}", Headers: map[string]string{"Bad Header": "x", "X-Ok": "{{ nope | x }}"}},
			want: []Problem{
				{Field: "headers.Bad Header", Message: "is not a valid HTTP header name"},
				{Field: "headers.X-Ok", Line: 1, Message: `unknown filter "x"`},
			},
		},
		{
			name: "empty tag",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: "x", Tags: []string{"ok", " "}},
			want: []Problem{{Field: "tags[1]", Message: "is empty"}},
		},
		{
			name: "part too large",
			tmpl: Template{Name: "n", Channel: ChannelSMS, Body: strings.Repeat("x", MaxPartSize+1)},
			want: []Problem{{Field: "body", Message: "the limit is"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.tmpl.Validate()
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalid)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, len(tt.want), "problems: %v", ve.Problems)
			for i, w := range tt.want {
				got := ve.Problems[i]
				require.Equal(t, w.Field, got.Field, "problem %d: %v", i, got)
				require.Equal(t, w.Line, got.Line, "problem %d: %v", i, got)
				require.Contains(t, got.Message, w.Message, "problem %d", i)
			}
			// Compile reports the same problems.
			_, cerr := Compile(&tt.tmpl)
			require.Equal(t, err.Error(), cerr.Error())
		})
	}
}

func TestValidationErrorFormat(t *testing.T) {
	t.Parallel()
	err := (&Template{Name: "n", Channel: ChannelEmail, Subject: "s", HTML: "a\nb\n{{ x | }}"}).Validate()
	require.EqualError(t, err, `invalid template: html: line 3: syntax error in "x |"; check the expression: variables are written profile.first_name, strings "in quotes", filters | name: argument`)

	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	b, jerr := json.Marshal(ve)
	require.NoError(t, jerr)
	require.JSONEq(t, `{"problems":[{"field":"html","line":3,"message":"syntax error in \"x |\"; check the expression: variables are written profile.first_name, strings \"in quotes\", filters | name: argument"}]}`, string(b))
}
