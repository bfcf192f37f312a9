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
//     paths). Arms significantly worse (p < 0.05) than their best sibling or
//     than an arm named "control", messages worse than their control group
//     and journeys worse than their holdout are flagged underperforming.
//   - Stages: response rates (opened, clicked or converted) of sends by
//     lifecycle stage at send time × template × channel, with Wilson
//     intervals and a z-test against the rest of the stage.
//   - Flow: customers moving between lifecycle stages per period (a Sankey
//     of stage transitions) and the per-period transition table.
//
// Each report is a funnel.Accumulator fed one profile history at a time by
// funnel.Scan; the computations are pure and read no store.
package report
