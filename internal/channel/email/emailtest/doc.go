// Package emailtest runs a real SMTP server in-process for tests: a
// github.com/emersion/go-smtp server on 127.0.0.1 with a random port that
// records every message it accepts (envelope, raw data and parsed header).
//
// Options make it answer like a real relay would: require AUTH PLAIN,
// offer STARTTLS or implicit TLS with a self-signed certificate made for
// the test, and reject senders, recipients or data with a chosen reply
// code. The email channel's own tests use it, and so can end-to-end tests
// of anything that sends email through channel/email:
//
//	srv := emailtest.Start(t, emailtest.RequireAuth("app", "secret"))
//	sender, _ := email.New(email.Config{Host: srv.Host(), Port: srv.Port(), TLS: email.TLSNone, ...}, nil)
//	...
//	msgs := srv.Messages()
package emailtest
