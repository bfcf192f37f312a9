package demo

// SourceSpec names one source the demo data uses. Channel is one of web, app,
// store, call_center, email, ads, direct_mail, social, partner, vendor, server;
// Party is first, second or third.
type SourceSpec struct {
	Name        string
	Channel     string
	Party       string
	Description string
}

type sourceID uint8

const (
	srcWeb sourceID = iota
	srcApp
	srcPOS
	srcCallCenter
	srcEmail
	srcAds
	srcDirectMail
	srcPartner
	srcVendor
	numSources
)

var sourceSpecs = [numSources]SourceSpec{
	srcWeb:        {"nto-web", "web", "first", "nto.example web shop (analytics.js) and its order server"},
	srcApp:        {"nto-app", "app", "first", "NTO iOS and Android app"},
	srcPOS:        {"nto-pos", "store", "first", "point of sale in NTO stores: purchases, returns, loyalty sign-ups"},
	srcCallCenter: {"nto-callcenter", "call_center", "first", "customer service center: calls, tickets, phone orders"},
	srcEmail:      {"nto-email", "email", "first", "email platform: opens, clicks, unsubscribes"},
	srcAds:        {"nto-ads", "ads", "first", "ad platforms' click reports with UTM tags"},
	srcDirectMail: {"nto-directmail", "direct_mail", "first", "catalog mail house: delivery confirmations"},
	srcPartner:    {"partner-trailclub", "partner", "second", "Trail Club partner: shared member records and club events"},
	srcVendor:     {"vendor-acxiom-like", "vendor", "third", "demographic appends keyed by email"},
}

// sourcePrefix is the literal start of every JSONL line per source.
var sourcePrefix = func() [numSources]string {
	var out [numSources]string
	for i, s := range sourceSpecs {
		out[i] = `{"source":"` + s.Name + `","event":`
	}
	return out
}()

// Sources returns the sources the demo data uses, in a stable order.
func Sources() []SourceSpec {
	out := make([]SourceSpec, len(sourceSpecs))
	copy(out, sourceSpecs[:])
	return out
}
