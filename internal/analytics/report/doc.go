// Package report computes the journey and lifecycle-stage reports of the
// measurement issue (§5) from the timeline events journeys and the
// dispatcher write (docs/journeys.md, "Timeline events"):
//
//   - Journey: per node entered, waiting, sent/skipped/failed, delivered/
//     opened/clicked (distinct sends), converted (a Goal Reached whose
//     preceding_send_key is a message the node sent) and exits by reason;
//     journey conversion of treated versus holdout instances with the lift
//     and its interval; per message node, conversion of instances sent the
//     message against those held back as its control group; per-arm
//     conversion of every random split or experiment node (the instances'
//     paths). Arms significantly worse than their best sibling or than an
//     arm named "control", messages worse than their control group and
//     journeys worse than their holdout are flagged underperforming. The
//     p-values are corrected for multiple comparisons with Holm's method
//     (family-wise error 5%): per split over all its arm comparisons, per
//     journey over all its message-vs-control tests; the single journey-
//     vs-holdout test needs none.
//   - Stages: response rates (opened, clicked or converted) of sends by
//     lifecycle stage at send time × template × channel, with Wilson
//     intervals and a z-test against the rest of the stage; rows are
//     significant when their Benjamini–Hochberg q-value (false discovery
//     rate over all rows of the report) is below 0.05.
//   - Flow: customers moving between lifecycle stages per period (a Sankey
//     of stage transitions) and the per-period transition table.
//
// Each report is a funnel.Accumulator fed one profile history at a time by
// funnel.Scan; the computations are pure and read no store.
package report
