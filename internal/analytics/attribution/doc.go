// Package attribution is multi-touch attribution: it splits the conversions
// (and conversion value) of customer paths among the channels — or campaigns —
// the customers touched before converting. It is pure: paths come in, credits
// come out; reading Cairn's events or a path file is the caller's business
// (BuildPaths turns touchpoints and conversions into paths, ParsePaths reads
// the ChannelAttribution path-file format).
//
// # Models
//
// Every model returns, per channel, attributed conversions, attributed value
// and a share (attributed conversions over total conversions). Credits of
// every model sum to the total conversions and total value of the paths;
// with nothing to share every credit and share is 0, never NaN.
//
//   - first, last: the first (last) touch gets the whole path.
//   - linear: credit per occurrence; a channel touched twice in a path of four
//     touches gets 2/4.
//   - time_decay: a touch of age a (conversion time minus touch time) weighs
//     2^(−a/half-life), normalised over the path. It needs touch times, which
//     paths built from Cairn's events carry and path files do not; on a path
//     without times the model is left out and Result.Notes says why.
//   - position: first/middle/last weights, 40/20/40 by default. One touch gets
//     100%, two touches 50/50 whatever the weights (the middle share has no
//     touch to go to), and from three touches the middle share is split evenly
//     among the middle touches (per occurrence).
//   - markov: the removal-effect model of a Markov chain of order 1–3 solved
//     exactly (see below).
//   - shapley: the Shapley value of the game v(S) = conversions (or value) of
//     the paths whose set of touched channels is a subset of S.
//
// # Markov chain construction (order k)
//
// This follows the construction of ChannelAttribution (Altomare & Loris):
//
//   - A path c1 > … > cn becomes a sequence of states. With n ≥ k the states
//     are the n−k+1 overlapping windows (c1…ck), (c2…ck+1), …, (cn−k+1…cn);
//     a path shorter than k is one state holding the whole path. For k = 1
//     the states are the channels.
//   - Every path contributes weight w = conversions + nulls (conversions only
//     when non-converting paths are excluded) to the transitions
//     (start) → s1 → s2 → … → s_last, then conversions to s_last → (conversion)
//     and nulls to s_last → (null). (conversion) and (null) absorb.
//   - Self-loops are kept: A > A makes a transition A → A, as in the
//     package's 2015 vignette. (Current ChannelAttribution releases merge
//     repeated states, simulate the chain and credit the channels visited on
//     simulated conversions, so their numbers differ from ours; we follow the
//     vignette's removal-effect definition and reproduce its worked example.)
//   - Transition probabilities are the weights normalised per state.
//   - P(conversion) is the probability of absorption in (conversion) from
//     (start), solved exactly from the absorbing chain: x = (I − Q)⁻¹ b, with
//     Q the transient-to-transient block and b the transient-to-conversion
//     column. Up to 400 transient states it is a dense LU solve (gonum);
//     beyond (order 3 over many channels), it is a sparse Gauss–Seidel
//     iteration, warm-started from the unremoved solution, run until the
//     a-posteriori error bound ‖residual‖∞ × τ is at most 1e-12, where τ, the
//     longest expected time to absorption, bounds ‖(I − Q)⁻¹‖∞. The fitted
//     chain reproduces the observed conversion rate: with non-converting paths
//     P(conversion) = Σ conversions / Σ (conversions + nulls) at every order.
//   - Removing channel c turns every state whose window contains c into
//     (null): transitions into it are redirected to (null). The removal effect
//     is RE(c) = 1 − P(conversion | c removed) / P(conversion).
//   - Conversions and value are split in proportion to the removal effects:
//     credit(c) = total × RE(c) / Σ RE.
//
// # Shapley value
//
// The worth v(S) = Σ_paths w_p·[T_p ⊆ S] (T_p the set of channels of path p)
// is a weighted sum of unanimity games, whose Shapley values are known: the
// unanimity game of T gives 1/|T| to each member of T. By linearity the exact
// Shapley value is φ(c) = Σ_{p : c ∈ T_p} w_p / |T_p|, computed in time linear
// in the input for any number of channels — no enumeration of the 2^n
// coalitions and no sampling is needed. The tests check it against brute-force
// enumeration of all coalitions. A permutation-sampling estimator is kept
// (Options.ShapleySamples > 0) for validation and for worth functions without
// a closed form; it reports a 95% confidence half-width per channel.
//
// # Per campaign
//
// A channel is any label. BuildPaths keys touches by channel or by campaign
// (BuildOptions.By); running Run on the campaign-keyed paths gives the
// per-campaign table.
package attribution
