package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cairn-cdp/cairn/internal/httpapi"
	"github.com/cairn-cdp/cairn/internal/store"
)

// callCenterSourceName is the source of agent task outcomes: real
// touchpoints on the call-center channel, attributed to the customer by
// their identifiers like any other event.
const callCenterSourceName = "cairn-call-center"

// callCenterSource returns the call-center source, creating it on first use.
func (a *App) callCenterSource(ctx context.Context) (store.Source, error) {
	list, err := a.State.ListSources(ctx)
	if err != nil {
		return store.Source{}, fmt.Errorf("list sources: %w", err)
	}
	for _, s := range list {
		if s.Name == callCenterSourceName {
			return s, nil
		}
	}
	s := store.Source{ID: newID("src"), Name: callCenterSourceName, Channel: "call_center", Party: "first", CreatedAt: a.Clock.Now()}
	if err := a.State.CreateSource(ctx, s); err != nil {
		return store.Source{}, fmt.Errorf("create the call-center source: %w", err)
	}
	return s, nil
}

// taskOutcomes appends agent task outcomes to the log.
type taskOutcomes struct{ a *App }

var _ httpapi.TaskOutcomes = taskOutcomes{}

// Complete appends "Agent Task Completed" for the customer, identified by
// their user id (else another identifier), from the call-center source. Its
// message id derives from the task, so a retried request stores it once.
func (t taskOutcomes) Complete(ctx context.Context, task store.Send, outcome, note, agent string) error {
	a := t.a
	src, err := a.callCenterSource(ctx)
	if err != nil {
		return err
	}
	ids, err := a.State.ProfileIdentities(ctx, task.ProfileID)
	if err != nil {
		return fmt.Errorf("identities of profile %s: %w", task.ProfileID, err)
	}
	ev := map[string]any{"type": "track", "event": "Agent Task Completed", "messageId": "task-" + task.Key,
		"properties": map[string]any{"outcome": outcome, "note": note, "agent": agent, "task_key": task.Key,
			"journey_id": task.JourneyID, "node_id": task.NodeID, "template": task.TemplateID}}
	for _, id := range ids {
		switch id.Type {
		case "user_id":
			ev["userId"] = id.Value
		case "anonymous_id":
			if _, ok := ev["anonymousId"]; !ok {
				ev["anonymousId"] = id.Value
			}
		}
	}
	if ev["userId"] == nil && ev["anonymousId"] == nil {
		return fmt.Errorf("profile %s has no user or anonymous id to attribute the outcome to", task.ProfileID)
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode task outcome: %w", err)
	}
	b, err := a.parseRaw(src, []json.RawMessage{raw})
	if err != nil {
		return err
	}
	if _, err := (notifyingLog{Log: a.Log, p: a.Processor}).Append(ctx, b); err != nil {
		return fmt.Errorf("append task outcome: %w", err)
	}
	return nil
}
