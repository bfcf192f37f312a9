// Package clv estimates customer lifetime value with the "buy till you die"
// models of non-contractual purchasing: BG/NBD (Fader, Hardie & Lee 2005,
// "Counting your customers the easy way", Marketing Science 24(2)) or
// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) for how often customers
// buy and when they silently drop out, and Gamma-Gamma (Fader & Hardie 2013)
// for how much they spend per purchase.
//
// # Data
//
// ParseCDNOW and ParseCSV read transaction files; Summarize reduces them to
// each customer's calibration-period sufficient statistics (Customer):
// x repeat purchase days, recency t_x, age T and mean repeat spend zbar. Time
// is resolved to UTC days (same-day purchases merge) and the first purchase
// only starts the clock, as in the published CDNOW analyses.
//
// # Fitting
//
// FitBGNBD, FitParetoNBD and FitGammaGamma maximize the log-likelihood with
// gonum/optimize's BFGS over the logarithms of the parameters (so they stay
// positive without constraints), on the mean log-likelihood so tolerances do
// not depend on the number of customers. BG/NBD and Gamma-Gamma use analytic
// gradients; Pareto/NBD uses central differences. The BG/NBD likelihood
//
//	L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^{r+x})
//	  + δ_{x>0} B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^{r+x})
//
// is evaluated in logs with log-sum-exp (see BGNBD.logLik). The likelihoods
// depend on a customer only through (x, t_x, T) — or (x, zbar) for
// Gamma-Gamma — so they are summed over distinct values weighted by their
// counts, which is exact, not an approximation; terms depending on x alone
// (log-gamma, digamma) are computed once per distinct x. Every fit returns a
// FitReport: log-likelihood, iterations, whether the gradient vanished, its
// norm and the optimizer's status. Data that cannot identify a model (nobody
// repeats, a parameter running off to 0 or infinity) give ErrNotIdentifiable
// instead of numbers.
//
// # Prediction and value
//
// ExpectedPurchases(t, x, t_x, T) is the conditional expectation of repeat
// purchases in the next t units (BG/NBD: FHL eq. 10 with gonum's Gaussian
// hypergeometric ₂F₁; Pareto/NBD: closed form), PAlive the probability the
// customer is still active, and GammaGamma.ExpectedSpend the expected value
// per future purchase. CLV combines them over a horizon H with continuous
// discounting at δ per time unit, δ = ln(1 + annual rate) per year:
//
//	CLV = E[M | x, zbar] · ∫₀^H e^{−δt} dE[Y(t) | x, t_x, T]
//	    = E[M | x, zbar] · (e^{−δH} E[Y(H)] + δ ∫₀^H e^{−δt} E[Y(t)] dt),
//
// the second line by integration by parts, computed by Gauss-Legendre
// quadrature. The undiscounted figure E[M] · E[Y(H)] is reported alongside.
// CLV here is expected revenue; multiply by a margin for profit.
package clv
