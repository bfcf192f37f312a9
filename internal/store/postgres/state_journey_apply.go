package postgres

import (
	"fmt"
	"time"

	"github.com/cairn-cdp/cairn/internal/store"
)

const instanceInsertColumns = "id, journey_id, version, profile_id, key, node, status, entered_at, updated_at, exited_at, exit_reason, state"

const sendInsertColumns = `key, journey_id, version, instance_id, node_id, profile_id, channel, template_id, status, reason,
	attempts, provider_id, address, due_at, created_at, updated_at, sent_at, payload`

// mergeSubscriptions folds a merge loser's subscription states into the
// winner's: an unsubscribe on either side wins (consent is never widened by
// a merge), otherwise the winner's state stays.
const mergeSubscriptions = `INSERT INTO subscriptions (profile_id, group_id, state, updated_at, source)
	SELECT $1, group_id, state, updated_at, source FROM subscriptions WHERE profile_id = $2
	ON CONFLICT (profile_id, group_id) DO UPDATE SET
		state = CASE WHEN excluded.state = 'unsubscribed' OR subscriptions.state = 'unsubscribed' THEN 'unsubscribed' ELSE subscriptions.state END,
		source = CASE WHEN excluded.state = 'unsubscribed' AND subscriptions.state <> 'unsubscribed' THEN excluded.source ELSE subscriptions.source END,
		updated_at = GREATEST(subscriptions.updated_at, excluded.updated_at)`

// queueJourneys queues b's journey rows at the very end of Apply's batch:
// first it re-points the instances and sends of every merged-away loser to
// the winner, then upserts the instances and inserts the sends whose key
// is new, each list as one statement over unnest arrays.
func queueJourneys(b *store.ProcessBatch, q func(desc, sql string, args ...any)) error {
	for _, m := range b.Merges {
		if m.Refused {
			continue
		}
		q(fmt.Sprintf("re-point journey instances of %s to %s", m.Loser, m.Winner),
			"UPDATE journey_instances SET profile_id = $1 WHERE profile_id = $2", m.Winner, m.Loser)
		q(fmt.Sprintf("re-point sends of %s to %s", m.Loser, m.Winner),
			"UPDATE sends SET profile_id = $1 WHERE profile_id = $2", m.Winner, m.Loser)
		q(fmt.Sprintf("merge subscriptions of %s into %s", m.Loser, m.Winner), mergeSubscriptions, m.Winner, m.Loser)
		q(fmt.Sprintf("drop subscriptions of %s", m.Loser), "DELETE FROM subscriptions WHERE profile_id = $1", m.Loser)
		q(fmt.Sprintf("re-point journey timers of %s to %s", m.Loser, m.Winner),
			"UPDATE timers SET profile_id = $1 WHERE profile_id = $2 AND kind = 'journey'", m.Winner, m.Loser)
	}
	if len(b.Instances) > 0 {
		c, err := instanceArrays(b.Instances)
		if err != nil {
			return err
		}
		q(fmt.Sprintf("upsert %d journey instances", len(c.ids)), "INSERT INTO journey_instances ("+instanceInsertColumns+`)
			SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[])
			ON CONFLICT (id) DO UPDATE SET journey_id = excluded.journey_id, version = excluded.version,
			profile_id = excluded.profile_id, key = excluded.key, node = excluded.node, status = excluded.status,
			entered_at = excluded.entered_at, updated_at = excluded.updated_at, exited_at = excluded.exited_at,
			exit_reason = excluded.exit_reason, state = excluded.state`,
			c.ids, c.journeys, c.versions, c.profiles, c.keys, c.nodes, c.statuses, c.entered, c.updated, c.exited,
			c.reasons, c.states)
	}
	if len(b.Sends) > 0 {
		c, err := sendArrays(b.Sends)
		if err != nil {
			return err
		}
		// A replayed step offers the same key again: the existing send, maybe
		// already settled, is kept as it is (and so is the first of a key
		// offered twice in one batch).
		q(fmt.Sprintf("insert %d sends", len(b.Sends)), "INSERT INTO sends ("+sendInsertColumns+`)
			SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::timestamptz[],
				$15::timestamptz[], $16::timestamptz[], $17::timestamptz[], $18::text[])
			ON CONFLICT (key) DO NOTHING`, c.args()...)
	}
	return nil
}

type instanceColumns struct {
	ids, journeys, profiles, keys, nodes, statuses, reasons []string
	versions                                                []int32
	entered, updated                                        []time.Time
	exited                                                  []*time.Time
	states                                                  []*string
}

// instanceArrays returns the columns of instances with one row per id, the
// last one given, as the SQLite backend's row-by-row upsert leaves it (one
// INSERT … ON CONFLICT may not touch a row twice).
func instanceArrays(instances []store.JourneyInstance) (instanceColumns, error) {
	var c instanceColumns
	seen := make(map[string]int, len(instances))
	for _, in := range instances {
		if in.ID == "" {
			return c, fmt.Errorf("journey instance of profile %s in journey %s: empty id", in.ProfileID, in.JourneyID)
		}
		st, err := nullJSON("state", in.State)
		if err != nil {
			return c, fmt.Errorf("journey instance %s: %w", in.ID, err)
		}
		i, ok := seen[in.ID]
		if !ok {
			i = len(c.ids)
			seen[in.ID] = i
			c.ids, c.journeys, c.profiles = append(c.ids, ""), append(c.journeys, ""), append(c.profiles, "")
			c.keys, c.nodes, c.statuses, c.reasons = append(c.keys, ""), append(c.nodes, ""), append(c.statuses, ""), append(c.reasons, "")
			c.versions, c.entered, c.updated = append(c.versions, 0), append(c.entered, time.Time{}), append(c.updated, time.Time{})
			c.exited, c.states = append(c.exited, nil), append(c.states, nil)
		}
		c.ids[i], c.journeys[i], c.profiles[i], c.keys[i] = in.ID, in.JourneyID, in.ProfileID, in.Key
		c.nodes[i], c.statuses[i], c.reasons[i] = in.Node, in.Status, in.ExitReason
		c.versions[i], c.entered[i], c.updated[i], c.exited[i], c.states[i] = int32(in.Version), in.EnteredAt, in.UpdatedAt, in.ExitedAt, st
	}
	return c, nil
}

type sendColumnArrays struct {
	keys, journeys, instances, nodes, profiles, channels, templates, statuses, reasons, providers, addresses []string
	versions, attempts                                                                                       []int32
	due, created, updated                                                                                    []time.Time
	sent                                                                                                     []*time.Time
	payloads                                                                                                 []*string
}

func sendArrays(sends []store.Send) (sendColumnArrays, error) {
	var c sendColumnArrays
	for _, sd := range sends {
		if err := checkSend(sd); err != nil {
			return c, err
		}
		p, err := nullJSON("payload", sd.Payload)
		if err != nil {
			return c, fmt.Errorf("send %s: %w", sd.Key, err)
		}
		c.keys, c.journeys, c.instances = append(c.keys, sd.Key), append(c.journeys, sd.JourneyID), append(c.instances, sd.InstanceID)
		c.nodes, c.profiles, c.channels = append(c.nodes, sd.NodeID), append(c.profiles, sd.ProfileID), append(c.channels, sd.Channel)
		c.templates, c.statuses, c.reasons = append(c.templates, sd.TemplateID), append(c.statuses, sd.Status), append(c.reasons, sd.Reason)
		c.providers, c.addresses = append(c.providers, sd.ProviderID), append(c.addresses, sd.To)
		c.versions, c.attempts = append(c.versions, int32(sd.Version)), append(c.attempts, int32(sd.Attempts))
		c.due, c.created, c.updated = append(c.due, sd.DueAt), append(c.created, sd.CreatedAt), append(c.updated, sd.UpdatedAt)
		c.sent, c.payloads = append(c.sent, sd.SentAt), append(c.payloads, p)
	}
	return c, nil
}

// args returns the arrays in sendInsertColumns order.
func (c *sendColumnArrays) args() []any {
	return []any{c.keys, c.journeys, c.versions, c.instances, c.nodes, c.profiles, c.channels, c.templates, c.statuses,
		c.reasons, c.attempts, c.providers, c.addresses, c.due, c.created, c.updated, c.sent, c.payloads}
}

func checkSend(sd store.Send) error {
	if sd.Key == "" {
		return fmt.Errorf("send to profile %s: empty key", sd.ProfileID)
	}
	return nil
}
