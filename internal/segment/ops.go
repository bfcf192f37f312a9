package segment

import "strings"

// Op is a comparison operator.
type Op string

// Operators. The date operators read the tested value as a time (RFC 3339
// string, YYYY-MM-DD date, or Unix seconds/milliseconds number).
const (
	OpEquals      Op = "equals"
	OpNotEquals   Op = "not_equals"
	OpGt          Op = "gt"
	OpGte         Op = "gte"
	OpLt          Op = "lt"
	OpLte         Op = "lte"
	OpBetween     Op = "between" // inclusive at both ends
	OpIn          Op = "in"
	OpNotIn       Op = "not_in"
	OpContains    Op = "contains" // substring of a string, or element of an array
	OpNotContains Op = "not_contains"
	OpStartsWith  Op = "starts_with"
	OpEndsWith    Op = "ends_with"
	OpMatches     Op = "matches" // RE2, unanchored
	OpExists      Op = "exists"
	OpNotExists   Op = "not_exists"
	OpBefore      Op = "before" // value < T
	OpAfter       Op = "after"  // value >= T
	OpWithinLast  Op = "within_last"
	OpWithinNext  Op = "within_next"
	OpBeforeLast  Op = "before_last"
	OpAfterNext   Op = "after_next"
	OpDayOfYear   Op = "day_of_year"
)

// operand is what literal an operator takes.
type operand int

const (
	operandNone     operand = iota
	operandScalar           // string, number or bool
	operandNumber           // number
	operandString           // string
	operandRegex            // string, compiled as RE2
	operandList             // non-empty list of scalars
	operandRange            // [low, high] numbers
	operandTime             // RFC 3339 timestamp
	operandDuration         // positive duration
)

type opSpec struct {
	operand operand
	date    bool // reads the tested value as a time
	neg     bool // negation of a positive operator: true on a missing value
}

var opSpecs = map[Op]opSpec{
	OpEquals:      {operand: operandScalar},
	OpNotEquals:   {operand: operandScalar, neg: true},
	OpGt:          {operand: operandNumber},
	OpGte:         {operand: operandNumber},
	OpLt:          {operand: operandNumber},
	OpLte:         {operand: operandNumber},
	OpBetween:     {operand: operandRange},
	OpIn:          {operand: operandList},
	OpNotIn:       {operand: operandList, neg: true},
	OpContains:    {operand: operandScalar},
	OpNotContains: {operand: operandScalar, neg: true},
	OpStartsWith:  {operand: operandString},
	OpEndsWith:    {operand: operandString},
	OpMatches:     {operand: operandRegex},
	OpExists:      {operand: operandNone},
	OpNotExists:   {operand: operandNone, neg: true},
	OpBefore:      {operand: operandTime, date: true},
	OpAfter:       {operand: operandTime, date: true},
	OpWithinLast:  {operand: operandDuration, date: true},
	OpWithinNext:  {operand: operandDuration, date: true},
	OpBeforeLast:  {operand: operandDuration, date: true},
	OpAfterNext:   {operand: operandDuration, date: true},
	OpDayOfYear:   {operand: operandNone, date: true},
}

// Operator sets per context, in documentation order.
var (
	allOps = []Op{
		OpEquals, OpNotEquals, OpGt, OpGte, OpLt, OpLte, OpBetween, OpIn, OpNotIn,
		OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpMatches, OpExists, OpNotExists,
		OpBefore, OpAfter, OpWithinLast, OpWithinNext, OpBeforeLast, OpAfterNext, OpDayOfYear,
	}
	dateOps      = []Op{OpBefore, OpAfter, OpWithinLast, OpWithinNext, OpBeforeLast, OpAfterNext, OpDayOfYear}
	countOps     = []Op{OpEquals, OpNotEquals, OpGt, OpGte, OpLt, OpLte}
	numericAggOp = []Op{OpEquals, OpNotEquals, OpGt, OpGte, OpLt, OpLte, OpBetween, OpIn, OpNotIn}
	valueAggOps  = []Op{
		OpEquals, OpNotEquals, OpGt, OpGte, OpLt, OpLte, OpBetween, OpIn, OpNotIn,
		OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpMatches,
	}
)

// AggFn is an aggregate function.
type AggFn string

// Aggregate functions.
const (
	AggCount         AggFn = "count"
	AggSum           AggFn = "sum"
	AggAvg           AggFn = "avg"
	AggMin           AggFn = "min"
	AggMax           AggFn = "max"
	AggDistinctCount AggFn = "distinct_count"
	AggMostFrequent  AggFn = "most_frequent"
	AggFirst         AggFn = "first"
	AggLast          AggFn = "last"
)

var aggFns = []AggFn{AggCount, AggSum, AggAvg, AggMin, AggMax, AggDistinctCount, AggMostFrequent, AggFirst, AggLast}

// numeric reports whether f yields a number.
func (f AggFn) numeric() bool {
	switch f {
	case AggCount, AggSum, AggAvg, AggMin, AggMax, AggDistinctCount:
		return true
	}
	return false
}

// Enumerations of the reserved nodes.
var (
	inSegmentMatches   = []string{"any", "all", "none"}
	subscriptionStates = []string{"subscribed", "unsubscribed"}
	messageEvents      = []string{
		"sent", "delivered", "opened", "clicked", "bounced", "dropped", "spam", "failed", "skipped", "unsubscribed",
	}
)

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func joinList[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}
