package twiliotest

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Twilio's signature scheme is HMAC-SHA1.
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Deliver moves message sid to status (sent, delivered, undelivered,
// failed, read, ...) and, when the message has a StatusCallback, posts the
// callback Twilio would: a form with AccountSid, ApiVersion, From, To,
// MessageSid, SmsSid, MessageStatus, SmsStatus, MessagingServiceSid (when
// used) and ErrorCode (when errorCode != 0), signed with X-Twilio-Signature.
// It returns an error when the receiver does not answer 2xx.
// https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
func (s *Server) Deliver(ctx context.Context, sid, status string, errorCode int) error {
	s.mu.Lock()
	var m *Message
	for _, c := range s.messages {
		if c.SID == sid {
			m = c
		}
	}
	if m == nil {
		s.mu.Unlock()
		return fmt.Errorf("deliver %s: no such message", sid)
	}
	now := s.clk.Now()
	m.Status, m.DateUpdated, m.ErrorCode = status, now, errorCode
	switch status {
	case "sent", "delivered", "undelivered", "failed", "read":
		if m.DateSent.IsZero() {
			m.DateSent = now
		}
	}
	if m.From == "" { // the Messaging Service picked a sender
		m.From = DefaultFrom
		m.NumSegments = segments(m.Body)
	}
	cb := *m
	token := s.AuthToken
	s.mu.Unlock()

	if cb.StatusCallback == "" {
		return nil
	}
	form := url.Values{
		"AccountSid":    {cb.AccountSID},
		"ApiVersion":    {"2010-04-01"},
		"From":          {cb.From},
		"To":            {cb.To},
		"MessageSid":    {cb.SID},
		"SmsSid":        {cb.SID},
		"MessageStatus": {status},
		"SmsStatus":     {status},
	}
	if cb.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", cb.MessagingServiceSID)
	}
	if errorCode != 0 {
		form.Set("ErrorCode", strconv.Itoa(errorCode))
	}
	if status == "delivered" || status == "undelivered" {
		form.Set("RawDlrDoneDate", now.UTC().Format("0601021504"))
	}
	return s.post(ctx, token, cb.StatusCallback, form)
}

// PostSigned posts form to callbackURL signed with the account's Auth
// Token, for tests of callbacks this server would not send by itself.
func (s *Server) PostSigned(ctx context.Context, callbackURL string, form url.Values) error {
	return s.post(ctx, s.AuthToken, callbackURL, form)
}

func (s *Server) post(ctx context.Context, token, callbackURL string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("build status callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("X-Twilio-Signature", sign(token, callbackURL, form))
	resp, err := s.callback.Do(req)
	if err != nil {
		return fmt.Errorf("post status callback: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status callback answered HTTP %d", resp.StatusCode)
	}
	return nil
}

// sign follows Twilio's security documentation step by step, separately
// from the client package's code so each checks the other: take the full
// URL, append each POST parameter's name and value in alphabetical order
// of the names, HMAC-SHA1 the string with the Auth Token as key, and
// base64-encode the digest.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security
func sign(authToken, fullURL string, form url.Values) string {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, name := range names {
		values := append([]string(nil), form[name]...)
		sort.Strings(values)
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
