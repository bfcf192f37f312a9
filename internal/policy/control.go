package policy

import "math"

// ControlGroup is a stable random share of profiles that receives no
// messages (the global control group), or, built by Holdout, that a journey
// holds out. Membership is a pure function of Salt and the profile id, so it
// never reshuffles; changing Salt or Percent draws a new group.
type ControlGroup struct {
	Percent float64 `json:"percent"` // 0–100, at most two decimals
	Salt    string  `json:"salt,omitempty"`
}

// Validate reports a percent outside 0–100 or with more than two decimals,
// with the same test the segment language applies to random_bucket; errors
// match ErrInvalid.
func (g ControlGroup) Validate() error {
	p := g.Percent
	if !(p >= 0 && p <= 100) || p*100 != float64(int64(p*100)) {
		return invalidf("control group percent %v: want 0 to 100 with at most two decimals", p)
	}
	return nil
}

// Contains reports whether the profile is in the group: FNV-1a 64 of the
// salt, a zero byte and the profile id, modulo 10000, is below
// round(Percent·100). This is exactly the segment condition
// `random_bucket <Percent> salt "<Salt>"`, so a segment can select the
// same profiles (internal/segment randomBucket). A percent outside 0–100 is
// clamped.
func (g ControlGroup) Contains(profileID string) bool {
	h := fnvAdd(fnvOffset64, g.Salt)
	h *= fnvPrime64 // the zero byte: h ^= 0 changes nothing
	h = fnvAdd(h, profileID)
	return h%10000 < bucketLimit(g.Percent)
}

// FNV-1a 64 (hash/fnv's New64a), inlined so Contains does not allocate.
const (
	fnvOffset64 uint64 = 14695981039346656037
	fnvPrime64  uint64 = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	return h
}

func bucketLimit(percent float64) uint64 {
	switch {
	case !(percent > 0): // also NaN
		return 0
	case percent >= 100:
		return 10000
	}
	return uint64(math.Round(percent * 100))
}

// HoldoutSaltPrefix prefixes a journey id to form its holdout salt.
const HoldoutSaltPrefix = "holdout:"

// Holdout is journey journeyID's holdout group of percent: the same hash as
// the global control group with the salt "holdout:<journeyID>", so it is
// independent of the global group and of other journeys' holdouts, and
// matches `random_bucket <percent> salt "holdout:<journeyID>"`. Braze-style,
// the global control group is filtered out before entry, so a journey's
// holdout is drawn from the treatment group.
func Holdout(journeyID string, percent float64) ControlGroup {
	return ControlGroup{Percent: percent, Salt: HoldoutSaltPrefix + journeyID}
}
