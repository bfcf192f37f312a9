package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

// TaskOutcomes records an agent task's outcome as a touchpoint on the
// customer's timeline (a call-center event).
type TaskOutcomes interface {
	Complete(ctx context.Context, task store.Send, outcome, note, agent string) error
}

// Task states, derived from the task's engagements.
const (
	taskOpen      = "open"
	taskClaimed   = "claimed"
	taskCompleted = "completed"
)

// taskOutcomes are the outcomes an agent can record.
var taskOutcomes = []string{"reached", "converted", "declined", "voicemail", "no_answer", "wrong_number"}

// taskView is a call-center task with what the agent needs about the customer.
type taskView struct {
	Key       string         `json:"key"`
	ProfileID string         `json:"profile_id"`
	JourneyID string         `json:"journey_id,omitempty"`
	NodeID    string         `json:"node_id,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	State     string         `json:"state"`
	Assignee  string         `json:"assignee,omitempty"`
	Outcome   string         `json:"outcome,omitempty"`
	Reason    string         `json:"reason"`
	Customer  map[string]any `json:"customer"`
}

// summaryTraits are the traits shown to an agent.
var summaryTraits = []string{"first_name", "last_name", "email", "phone", "lifecycle_stage", "lifetime_revenue",
	"order_count", "last_purchase_at", "preferred_channel", "loyalty_id", "timezone"}

func (s *Server) taskView(ctx context.Context, sd store.Send) (taskView, error) {
	v := taskView{Key: sd.Key, ProfileID: sd.ProfileID, JourneyID: sd.JourneyID, NodeID: sd.NodeID, CreatedAt: sd.CreatedAt, State: taskOpen, Customer: map[string]any{}}
	var content struct {
		Body string `json:"body"`
	}
	_ = json.Unmarshal(sd.Content, &content) //nolint:errcheck // written by the dispatcher
	v.Reason = content.Body
	es, err := s.d.State.Engagements(ctx, sd.Key)
	if err != nil {
		return v, err
	}
	for _, e := range es {
		switch e.Type {
		case taskClaimed:
			v.State, v.Assignee = taskClaimed, e.Data
		case taskCompleted:
			v.State, v.Outcome = taskCompleted, e.Data
		}
	}
	traits, err := s.d.State.ProfileTraits(ctx, sd.ProfileID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return v, err
	}
	for _, t := range traits {
		if slices.Contains(summaryTraits, t.Path) {
			var x any
			if json.Unmarshal(t.Value, &x) == nil {
				v.Customer[t.Path] = x
			}
		}
	}
	return v, nil
}

// listTasks is GET /v1/agent/tasks?state=open|claimed|completed|all&cursor=&limit=.
func (s *Server) listTasks(w http.ResponseWriter, r *http.Request) error {
	state := r.URL.Query().Get("state")
	if state == "" {
		state = taskOpen
	}
	if state != "all" && state != taskOpen && state != taskClaimed && state != taskCompleted {
		return badField("state", "use open, claimed, completed or all, got %q", state)
	}
	limit, err := intParam(r, "limit", 50, 500)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	out := []taskView{}
	for len(out) < limit {
		page, err := s.d.State.ChannelSends(r.Context(), "task", store.SendSent, cursor, 200)
		if err != nil {
			return err
		}
		for _, sd := range page {
			cursor = sd.Key
			v, err := s.taskView(r.Context(), sd)
			if err != nil {
				return err
			}
			if state == "all" || v.State == state {
				out = append(out, v)
				if len(out) == limit {
					break
				}
			}
		}
		if len(page) < 200 {
			cursor = ""
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": out, "next_cursor": cursor})
	return nil
}

func (s *Server) task(ctx context.Context, key string) (store.Send, taskView, error) {
	sd, err := s.d.State.GetSend(ctx, key)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (sd.Channel != "task" || sd.Status != store.SendSent)) {
		return sd, taskView{}, apiErr(CodeNotFound, "no agent task %q", key)
	}
	if err != nil {
		return sd, taskView{}, err
	}
	v, err := s.taskView(ctx, sd)
	return sd, v, err
}

// claimTask is POST /v1/agent/tasks/{key}/claim {"agent": "..."}.
func (s *Server) claimTask(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Agent string `json:"agent"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Agent == "" {
		return badField("agent", "name the agent claiming the task")
	}
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	_, v, err := s.task(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	if v.State == taskCompleted || (v.State == taskClaimed && v.Assignee != req.Agent) {
		return apiErr(CodeConflict, "task %s is %s (by %s)", v.Key, v.State, v.Assignee)
	}
	if err := s.d.State.AddEngagement(r.Context(), store.Engagement{Key: v.Key, Type: taskClaimed, Data: req.Agent, At: s.d.Clock.Now()}); err != nil {
		return err
	}
	v.State, v.Assignee = taskClaimed, req.Agent
	writeJSON(w, http.StatusOK, v)
	return nil
}

// completeTask is POST /v1/agent/tasks/{key}/complete {"outcome", "note", "agent"}:
// the outcome becomes a call-center touchpoint on the customer's timeline.
func (s *Server) completeTask(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Outcome string `json:"outcome"`
		Note    string `json:"note"`
		Agent   string `json:"agent"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if !slices.Contains(taskOutcomes, req.Outcome) {
		return badField("outcome", "use one of %v, got %q", taskOutcomes, req.Outcome)
	}
	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	sd, v, err := s.task(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	if v.State == taskCompleted {
		return apiErr(CodeConflict, "task %s is already completed (%s)", v.Key, v.Outcome)
	}
	if s.d.Tasks == nil {
		return apiErr(CodeUnavailable, "task outcomes cannot be recorded on this server")
	}
	if err := s.d.Tasks.Complete(r.Context(), sd, req.Outcome, req.Note, req.Agent); err != nil {
		return err
	}
	if err := s.d.State.AddEngagement(r.Context(), store.Engagement{Key: v.Key, Type: taskCompleted, Data: req.Outcome, At: s.d.Clock.Now()}); err != nil {
		return err
	}
	v.State, v.Outcome = taskCompleted, req.Outcome
	writeJSON(w, http.StatusOK, v)
	return nil
}
