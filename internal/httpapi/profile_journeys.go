package httpapi

import (
	"cmp"
	"fmt"
	"net/http"

	"github.com/cairn-cdp/cairn/internal/store"
)

// profileInstance is a journey instance with the journey's name.
type profileInstance struct {
	store.JourneyInstance
	JourneyName string `json:"journey_name"`
}

// profileJourneys is GET /v1/profiles/{ref}/journeys: the profile's journey
// instances, active and exited, newest entry first, with their journey's name.
func (s *Server) profileJourneys(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	list, err := s.d.State.ProfileInstances(r.Context(), id)
	if err != nil {
		return err
	}
	js, err := s.d.State.ListJourneys(r.Context())
	if err != nil {
		return fmt.Errorf("list journeys: %w", err)
	}
	names := make(map[string]string, len(js))
	for _, j := range js {
		names[j.ID] = j.Name
	}
	out := make([]profileInstance, len(list))
	for i, in := range list {
		out[i] = profileInstance{JourneyInstance: in, JourneyName: cmp.Or(names[in.JourneyID], in.JourneyID)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile_id": id, "instances": out})
	return nil
}

// messageView is one send of a profile with its delivery feedback.
type messageView struct {
	store.Send
	Engagements []store.Engagement `json:"engagements"`
}

// profileMessages is GET /v1/profiles/{ref}/messages?since=&limit=: the
// profile's sends (journey and transactional), newest first.
func (s *Server) profileMessages(w http.ResponseWriter, r *http.Request) error {
	id, err := s.profileRef(r)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 50, 500)
	if err != nil {
		return err
	}
	since, err := timeParam(r.URL.Query().Get("since"), "since")
	if err != nil {
		return err
	}
	sends, err := s.d.State.ProfileSends(r.Context(), id, since, limit)
	if err != nil {
		return err
	}
	out := make([]messageView, len(sends))
	for i, sd := range sends {
		es, err := s.d.State.Engagements(r.Context(), sd.Key)
		if err != nil {
			return err
		}
		if es == nil {
			es = []store.Engagement{}
		}
		out[i] = messageView{Send: sd, Engagements: es}
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile_id": id, "messages": out})
	return nil
}
