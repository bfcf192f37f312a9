package twilio

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/cairn-cdp/cairn/internal/channel"
)

// Twilio's default opt-out and opt-in keywords (Advanced Opt-Out; matched
// on the whole trimmed body, case-insensitively):
// https://help.twilio.com/articles/223134027
var (
	optOutWords = map[string]bool{"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true, "END": true, "QUIT": true, "OPTOUT": true, "REVOKE": true}
	optInWords  = map[string]bool{"START": true, "YES": true, "UNSTOP": true}
)

// ParseInbound validates and reads an incoming-message webhook (a customer's
// reply to one of the account's numbers). publicURL is the URL Twilio calls,
// as for ParseStatusCallback.
func ParseInbound(r *http.Request, authToken, publicURL string) (channel.Inbound, error) {
	if r.Method != http.MethodPost {
		return channel.Inbound{}, fmt.Errorf("twilio inbound message: method %s, want POST", r.Method)
	}
	params, err := verifiedForm(r, authToken, publicURL)
	if err != nil {
		return channel.Inbound{}, err
	}
	in := channel.Inbound{ProviderID: params.Get("MessageSid"), From: params.Get("From"), To: params.Get("To"), Body: params.Get("Body")}
	if in.From == "" {
		return channel.Inbound{}, fmt.Errorf("twilio inbound message %s: no From", in.ProviderID)
	}
	word := strings.ToUpper(strings.TrimSpace(in.Body))
	in.OptOut, in.OptIn = optOutWords[word], optInWords[word]
	return in, nil
}

// ParseInbound parses an incoming-message webhook sent to the configured
// InboundURL, verifying it with the account's auth token.
func (s *Sender) ParseInbound(r *http.Request) (channel.Inbound, error) {
	return ParseInbound(r, s.cfg.AuthToken, s.cfg.InboundURL)
}

var _ channel.InboundParser = (*Sender)(nil)
