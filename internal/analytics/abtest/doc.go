// Package abtest holds the statistics Cairn reports for experiments: journey
// experiments, random splits, per-journey holdouts and the global control
// group. Every function is pure (no I/O, no clock); the seeded Monte Carlo is
// the only randomness and it is reproducible.
//
// # Conventions
//
// Arm A is the control (or holdout), arm B the treatment. Effect sizes are
// treatment minus control: Diff = p̂_B − p̂_A and Lift = p̂_B/p̂_A − 1. Test
// statistics keep the first-minus-second sign of the statistics libraries they
// are checked against, so that published numbers reproduce exactly:
// ZTest.Z = (p̂_A − p̂_B)/SE₀ as in statsmodels proportions_ztest(count=[a, b])
// and R prop.test, and TTest.T = (x̄_A − x̄_B)/SE as in scipy
// ttest_ind(a, b, equal_var=False) and R t.test(a, b). A negative Z or T
// therefore means B did better.
//
// # Frequentist
//
// TwoProportions is the pooled two-proportion z-test (two-sided). The interval
// for the difference is the unpooled Wald interval
// Diff ± z₁₋α/₂·√(p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B). The interval for the
// relative lift uses the delta method on the log of the rate ratio:
// log(p̂_B/p̂_A) ± z₁₋α/₂·√((1−p̂_A)/(n_A p̂_A) + (1−p̂_B)/(n_B p̂_B)),
// exponentiated and shifted by −1 (Katz et al. 1978). It is asymmetric, never
// below −100 %, and undefined when either arm has no conversions, in which
// case ZTest.Lift is nil. Fieller's interval was not chosen: it can be
// unbounded or the union of two rays, which a report cannot print as a range.
//
// Welch is Welch's unequal-variance t-test with Welch–Satterthwaite degrees of
// freedom, for revenue per customer. It takes summary statistics (n, mean,
// sample variance), which is what a warehouse query returns; SampleOf builds
// them from raw values.
//
// # Bayesian
//
// BetaBinomial puts a Beta prior (uniform by default) on each arm's rate;
// the posterior of an arm with s successes in n trials is
// Beta(α₀+s, β₀+n−s). For two arms P(p_B > p_A) uses Evan Miller's exact
// closed form ("Formulas for Bayesian A/B Testing", 2015),
//
//	P(p_B > p_A) = Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i)·B(1+i, β_B)·B(α_A, β_A)),
//
// evaluated by the recurrence t_{i+1}/t_i = (α_A+i)(β_B+i) / ((α_A+β_A+β_B+i)(i+1))
// over whichever of the four symmetric forms (a sum over α_B, α_A, β_A or
// β_B terms) is integer and shortest; it agrees with quadrature to about
// 1e-11. When no form applies (a non-integer prior) or the sum would exceed
// 300,000 terms, it integrates P = ∫ f_B(x)·F_A(x) dx instead: 64-point
// Gauss–Legendre on panels cut at quantiles of both posteriors, with F_A and
// both normalizing constants accumulated by the same quadrature, which stays
// near 1e-12 at any size (log-gamma-based formulas lose 1e-6 at tens of
// millions of trials). The expected loss of choosing an arm,
// E[max(p_other − p_arm, 0)], is exact for two arms through
// the identity x·f(x; α, β) = (α/(α+β))·f(x; α+1, β):
//
//	E[max(p_B − p_A, 0)] = m_B·P(Beta(α_B+1, β_B) > A) − m_A·P(B > Beta(α_A+1, β_A)).
//
// With more than two arms, P(arm is best) and expected loss
// E[max_j p_j − p_arm] come from a seeded Monte Carlo; the result reports the
// seed, the number of draws and the standard errors (the worst case for a
// probability is 1/(2√draws)).
//
// # Sequential (always-valid inference)
//
// MSPRT and Monitor implement the normal-mixture sequential probability ratio
// test of Johari, Koomen, Pekelis and Walsh, "Peeking at A/B Tests: Why it
// matters, and what to do about it" (KDD 2017), and Johari, Pekelis and
// Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests"
// (Operations Research 70(3), 2022). With
// the difference estimate θ̂ = p̂_B − p̂_A, its plug-in variance
// V = p̂_A(1−p̂_A)/n_A + p̂_B(1−p̂_B)/n_B and a N(θ₀, τ²) mixture over the
// alternative, the mixture likelihood ratio against H₀: θ = θ₀ is
//
//	Λ = √(V/(V+τ²)) · exp(τ²(θ̂−θ₀)² / (2V(V+τ²))).
//
// With n per arm and V = σ²/n this is Johari et al.'s
// √(σ²/(σ²+nτ²))·exp(n²τ²(θ̂−θ₀)²/(2σ²(σ²+nτ²))). Under H₀, Λ is (for normal
// data, and asymptotically for Bernoulli data) a non-negative martingale with
// mean 1, so by Ville's inequality P(sup_n Λ_n ≥ 1/α) ≤ α: the always-valid
// p-value p_n = min(1, min_{k≤n} 1/Λ_k) may be read after every look and
// compared with α without inflating false positives. Inverting the test gives
// the confidence sequence
//
//	θ̂ ± √( V(V+τ²)/τ² · (2·log(1/α) + log((V+τ²)/V)) ),
//
// whose running intersection covers the true difference at every look
// simultaneously with probability at least 1−α. τ² (MSPRTConfig.MixingVariance)
// tunes power: it is the variance of the effects the test expects, on the
// scale of the difference of proportions; the default 1e-4 (a standard
// deviation of one percentage point) suits conversion rates of a few percent.
// Set it to about the square of the smallest effect worth detecting.
//
// The guarantee is exact for normal data with known variance; for conversions
// it rests on the normal approximation with the plug-in V, which fails on a
// handful of customers (0/3 against 2/3 looks like near-zero variance). So a
// look before each arm has MSPRTConfig.MinTrials customers (default 100)
// carries no evidence, as does a look where V is zero (every rate 0 or 1):
// it reports p = 1 and the whole interval [−1, 1]. The tests simulate
// experiments under the null with a fixed seed, peeking after every batch
// (down to every single customer), and check that the share ever rejected
// stays at or below α, while the same peeks at a fixed-horizon z-test reject
// 30–60 % of the time; without the burn-in, per-customer peeks exceed α.
//
// # Sample-ratio mismatch
//
// SRM is Pearson's chi-square goodness-of-fit test of the assignment counts
// against the planned split (50/50, 90/10 for a holdout, 95/5 for a global
// control group), with k−1 degrees of freedom. A p-value below SRMThreshold
// flags a mismatch: the assignment is broken and the experiment's other
// numbers should not be trusted. The threshold is strict (0.001, not α)
// because the check runs on every experiment and a false alarm discards a
// sound one; see Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online
// Controlled Experiments" (KDD 2019).
//
// # Empty data
//
// No function returns NaN or ±Inf. Invalid input (negative counts, more
// successes than trials, alpha outside (0, 1)) is an error wrapping one of the
// sentinels in errors.go. Missing data is either an error that says so
// (a z-test on an arm with no trials, ErrNoTrials) or a defined result that
// carries no evidence (posteriors equal to the prior, p = 1, SRM p = 1).
// Analyze combines every part and records in Report.Notes why a part is
// absent, so an experiment with no traffic yet gives a well-formed report.
package abtest
