package demo

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
)

//go:embed examples/*.json
var examples embed.FS

// Messaging is the demo's messaging setup: channels (a capture provider
// that records sends without delivering them, until real providers are
// configured), subscription groups, frequency rules and templates, as
// config object bodies by id.
type Messaging struct {
	Channels, Groups, Rules, Templates []json.RawMessage
}

// ExampleMessaging returns the demo's messaging setup.
func ExampleMessaging() (Messaging, error) {
	var m Messaging
	for _, f := range []struct {
		name string
		into *[]json.RawMessage
	}{{"channels", &m.Channels}, {"subscription_groups", &m.Groups}, {"frequency_rules", &m.Rules}, {"templates", &m.Templates}} {
		b, err := examples.ReadFile(path.Join("examples", f.name+".json"))
		if err != nil {
			return m, fmt.Errorf("read example %s: %w", f.name, err)
		}
		if err := json.Unmarshal(b, f.into); err != nil {
			return m, fmt.Errorf("decode example %s: %w", f.name, err)
		}
	}
	return m, nil
}

// ExampleJourneys are the three example journeys on the NTO data: a welcome
// series, an event-keyed abandoned-cart flow with quiet hours and a
// frequency cap, and a win-back of the lapsed stage with a 10% holdout and
// a call-center task for high-value customers.
var ExampleJourneys = []string{"welcome-series", "abandoned-cart", "win-back"}

// ExampleJourney returns the definition of an example journey.
func ExampleJourney(id string) ([]byte, error) {
	b, err := examples.ReadFile(path.Join("examples", id+".json"))
	if err != nil {
		return nil, fmt.Errorf("read example journey %s: %w", id, err)
	}
	return b, nil
}
