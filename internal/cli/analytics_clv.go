package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-cdp/cairn/internal/analytics/clv"
)

const clvUsage = `usage: cairn analytics clv --transactions FILE [flags]
Customer lifetime value from a transaction file: BG/NBD (or Pareto/NBD) for
purchase frequency and dropout and Gamma-Gamma for spend, fitted by maximum
likelihood on the calibration period, time in weeks.
FILE is the CDNOW layout (whitespace: customer YYYYMMDD quantity value) or a
CSV of customer_id,timestamp,value (.csv, or --format csv).
CLV = expected spend per purchase x expected purchases over the horizon,
discounted continuously: E[M] * integral of e^(-delta t) dE[Y(t)] from 0 to H,
delta = ln(1 + annual rate) per year. Undiscounted figures are reported too.
--output writes one row per customer:
  id,x,t_x,T,expected_purchases,p_alive,expected_spend,clv,clv_undiscounted
If the spend model cannot be fitted, spend and CLV are left empty (warning).
Flags:`

const weekUnit = 7 * 24 * time.Hour

// clvFit is a fitted model in the -json report.
type clvFit struct {
	Params any            `json:"params,omitempty"`
	Fit    *clv.FitReport `json:"fit,omitempty"`
	Error  string         `json:"error,omitempty"`
}

// clvReport is the -json output.
type clvReport struct {
	Customers       int    `json:"customers"`
	RepeatCustomers int    `json:"repeat_customers"`
	CalibrationEnd  string `json:"calibration_end"`
	TimeUnit        string `json:"time_unit"`
	Model           string `json:"model"`
	PurchaseModel   clvFit `json:"purchase_model"`
	SpendModel      clvFit `json:"spend_model"`
	Prediction      struct {
		Weeks             float64 `json:"weeks"`
		ExpectedPurchases float64 `json:"expected_purchases_total"`
	} `json:"prediction"`
	Holdout *clvHoldout `json:"holdout,omitempty"`
	CLV     *clvTotals  `json:"clv,omitempty"`
	Output  string      `json:"output,omitempty"`
}

// clvHoldout compares the forecast with the purchases actually made after
// the calibration end, when the file has them.
type clvHoldout struct {
	Weeks     float64 `json:"weeks"`
	Actual    int     `json:"actual_repeat_purchases"`
	Predicted float64 `json:"predicted_repeat_purchases"`
}

type clvTotals struct {
	HorizonWeeks       float64 `json:"horizon_weeks"`
	AnnualDiscountRate float64 `json:"annual_discount_rate"`
	WeeklyRate         float64 `json:"continuous_rate_per_week"`
	Total              float64 `json:"total"`
	TotalUndiscounted  float64 `json:"total_undiscounted"`
	Mean               float64 `json:"mean"`
}

// clvRow is one customer's line of --output.
type clvRow struct {
	c         clv.Customer
	predicted float64
	v         clv.Value
}

func analyticsCLV(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analytics clv", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, clvUsage)
		fs.PrintDefaults()
	}
	file := fs.String("transactions", "", "transaction file (required)")
	format := fs.String("format", "auto", "file format: cdnow, csv, or auto (csv for .csv files)")
	calEnd := fs.String("calibration-end", "", "last day of the calibration period, YYYY-MM-DD (default: the last transaction's day)")
	model := fs.String("model", "bgnbd", "purchase model: bgnbd or pareto")
	predict := fs.Float64("predict-weeks", 52, "forecast horizon T for expected purchases, in weeks")
	horizon := fs.Float64("horizon-weeks", 0, "CLV horizon in weeks (default: --predict-weeks)")
	rate := fs.Float64("discount-rate", 0.1, "annual discount rate, e.g. 0.1 for 10% a year")
	output := fs.String("output", "", "write one row per customer to this CSV file")
	asJSON := fs.Bool("json", false, "print fitted parameters, log-likelihoods and convergence as JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return 2
	}
	usageErr := func(msg string) int {
		fmt.Fprintln(stderr, msg)
		fs.Usage()
		return 2
	}
	if len(pos) > 0 || *file == "" {
		return usageErr("give the transaction file with --transactions FILE")
	}
	if *horizon == 0 {
		*horizon = *predict
	}
	switch {
	case !(*predict > 0):
		return usageErr("--predict-weeks must be positive")
	case !(*horizon > 0):
		return usageErr("--horizon-weeks must be positive")
	case !(*rate > -1):
		return usageErr("--discount-rate must exceed -1")
	case *model != "bgnbd" && *model != "pareto":
		return usageErr("--model is bgnbd or pareto")
	}
	var end time.Time
	if *calEnd != "" {
		if end, err = parseDay(*calEnd); err != nil {
			return usageErr("--calibration-end: " + err.Error())
		}
	}
	txs, err := readTransactions(*file, *format)
	if err != nil {
		return fail(stderr, err)
	}
	if end.IsZero() {
		for _, tx := range txs {
			end = maxTime(end, tx.Time.UTC().Truncate(24*time.Hour))
		}
	}
	cs, err := clv.Summarize(txs, end, weekUnit)
	if err != nil {
		return fail(stderr, err)
	}
	rep := clvReport{Customers: len(cs), CalibrationEnd: end.Format(time.DateOnly), TimeUnit: "week", Model: *model, Output: *output}
	for _, c := range cs {
		if c.X > 0 {
			rep.RepeatCustomers++
		}
	}

	var pm clv.PurchaseModel
	var fit clv.FitReport
	if *model == "pareto" {
		m, f, err := clv.FitParetoNBD(cs)
		if err != nil {
			return fail(stderr, err)
		}
		pm, fit, rep.PurchaseModel.Params = m, f, m
	} else {
		m, f, err := clv.FitBGNBD(cs)
		if err != nil {
			return fail(stderr, err)
		}
		pm, fit, rep.PurchaseModel.Params = m, f, m
	}
	rep.PurchaseModel.Fit = &fit
	g, gFit, gErr := clv.FitGammaGamma(cs)
	if gErr != nil {
		rep.SpendModel.Error = gErr.Error()
		fmt.Fprintln(stderr, "warning: no expected spend or CLV:", gErr)
	} else {
		if g.Q <= 1 {
			fmt.Fprintln(stderr, "warning: Gamma-Gamma q <= 1: the mean spend of customers without repeat purchases is infinite")
		}
		rep.SpendModel.Params, rep.SpendModel.Fit = g, &gFit
		rep.CLV = &clvTotals{HorizonWeeks: *horizon, AnnualDiscountRate: *rate, WeeklyRate: clv.DiscountRate(*rate, weekUnit)}
	}

	rows, err := clvRows(ctx, pm, g, cs, *predict, *horizon, clv.DiscountRate(*rate, weekUnit))
	if err != nil {
		return fail(stderr, err)
	}
	rep.Prediction.Weeks = *predict
	for _, r := range rows {
		rep.Prediction.ExpectedPurchases += r.predicted
		if rep.CLV != nil {
			rep.CLV.Total += r.v.CLV
			rep.CLV.TotalUndiscounted += r.v.UndiscountedCLV
		}
	}
	if rep.CLV != nil {
		rep.CLV.Mean = rep.CLV.Total / float64(len(rows))
	}
	if rep.Holdout, err = clvHoldoutCheck(txs, cs, pm, end, *predict); err != nil {
		return fail(stderr, err)
	}
	if *output != "" {
		if err := writeCLVRows(*output, rows, gErr == nil); err != nil {
			return fail(stderr, err)
		}
	}
	if *asJSON {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fail(stderr, fmt.Errorf("encode report: %w", err))
		}
		fmt.Fprintln(stdout, string(b))
		return 0
	}
	printCLVReport(stdout, &rep)
	return 0
}

// parseDay reads YYYY-MM-DD or YYYYMMDD as a UTC day.
func parseDay(s string) (time.Time, error) {
	for _, layout := range []string{time.DateOnly, "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func readTransactions(path, format string) ([]clv.Transaction, error) {
	if format == "auto" {
		format = "cdnow"
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			format = "csv"
		}
	}
	parse := map[string]func(io.Reader) ([]clv.Transaction, error){"cdnow": clv.ParseCDNOW, "csv": clv.ParseCSV}[format]
	if parse == nil {
		return nil, fmt.Errorf("--format %q: want cdnow, csv or auto", format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read transactions: %w", err)
	}
	defer f.Close()
	txs, err := parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(txs) == 0 {
		return nil, fmt.Errorf("%s: no transactions", path)
	}
	return txs, nil
}

// clvRows predicts every customer. The predictions depend on (x, t_x, T)
// only, so they are computed once per distinct triple.
func clvRows(ctx context.Context, pm clv.PurchaseModel, g clv.GammaGamma, cs []clv.Customer, predict, horizon, delta float64) ([]clvRow, error) {
	type key struct {
		x     int
		tx, T float64
	}
	type cached struct {
		predicted float64
		v         clv.Value
	}
	cache := make(map[key]cached)
	rows := make([]clvRow, len(cs))
	for i, c := range cs {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("predict: %w", ctx.Err())
		}
		k := key{c.X, c.TX, c.T}
		p, ok := cache[k]
		if !ok {
			p.v = clv.CLV(pm, g, clv.Customer{X: c.X, TX: c.TX, T: c.T}, horizon, delta)
			p.predicted = p.v.Purchases
			if predict != horizon {
				p.predicted = pm.ExpectedPurchases(predict, float64(c.X), c.TX, c.T)
			}
			cache[k] = p
		}
		v := p.v
		v.Spend = g.ExpectedSpend(float64(c.X), c.ZBar)
		v.CLV, v.UndiscountedCLV = v.Spend*v.DiscountedPurchases, v.Spend*v.Purchases
		rows[i] = clvRow{c: c, predicted: p.predicted, v: v}
	}
	return rows, nil
}

// clvHoldoutCheck compares the forecast with the repeat purchases the file
// records after the calibration end, over the weeks of the forecast that the
// file covers. It returns nil when the file ends at the calibration end.
func clvHoldoutCheck(txs []clv.Transaction, cs []clv.Customer, pm clv.PurchaseModel, end time.Time, predict float64) (*clvHoldout, error) {
	var last time.Time
	for _, tx := range txs {
		last = maxTime(last, tx.Time.UTC().Truncate(24*time.Hour))
	}
	days := min(predict*7, last.Sub(end).Hours()/24)
	if days < 1 {
		return nil, nil
	}
	days = float64(int(days))
	actual, err := clv.HoldoutPurchases(txs, end, end.Add(time.Duration(days)*24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("holdout: %w", err)
	}
	h := &clvHoldout{Weeks: days / 7}
	for _, c := range cs {
		h.Actual += actual[c.ID]
		h.Predicted += pm.ExpectedPurchases(h.Weeks, float64(c.X), c.TX, c.T)
	}
	return h, nil
}

func writeCLVRows(path string, rows []clvRow, spend bool) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write output: %w", cerr)
		}
	}()
	w := csv.NewWriter(f)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if err := w.Write([]string{"id", "x", "t_x", "T", "expected_purchases", "p_alive", "expected_spend", "clv", "clv_undiscounted"}); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	for _, r := range rows {
		rec := []string{r.c.ID, strconv.Itoa(r.c.X), num(r.c.TX), num(r.c.T), num(r.predicted), num(r.v.PAlive), "", "", ""}
		if spend {
			rec[6], rec[7], rec[8] = num(r.v.Spend), num(r.v.CLV), num(r.v.UndiscountedCLV)
		}
		if err := w.Write(rec); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func printCLVReport(w io.Writer, r *clvReport) {
	fmt.Fprintf(w, "customers: %d (%d with repeat purchases); calibration ends %s; time unit: week\n",
		r.Customers, r.RepeatCustomers, r.CalibrationEnd)
	name := map[string]string{"bgnbd": "BG/NBD", "pareto": "Pareto/NBD"}[r.Model]
	fmt.Fprintf(w, "%s: %s\n", name, paramString(r.PurchaseModel.Params))
	printFit(w, r.PurchaseModel.Fit)
	if r.SpendModel.Error != "" {
		fmt.Fprintf(w, "Gamma-Gamma: %s\n", r.SpendModel.Error)
	} else {
		fmt.Fprintf(w, "Gamma-Gamma: %s (%d customers with repeat purchases)\n", paramString(r.SpendModel.Params), r.SpendModel.Fit.Customers)
		printFit(w, r.SpendModel.Fit)
	}
	fmt.Fprintf(w, "expected repeat purchases in the next %g weeks: %.1f (%.3f per customer)\n",
		r.Prediction.Weeks, r.Prediction.ExpectedPurchases, r.Prediction.ExpectedPurchases/float64(r.Customers))
	if h := r.Holdout; h != nil {
		fmt.Fprintf(w, "holdout check, %g weeks after the calibration end: %d repeat purchase days recorded, %.1f predicted\n",
			h.Weeks, h.Actual, h.Predicted)
	}
	if c := r.CLV; c != nil {
		fmt.Fprintf(w, "CLV over %g weeks: total %.2f discounted at %g%% a year (continuous), %.2f undiscounted; mean %.2f per customer\n",
			c.HorizonWeeks, c.Total, 100*c.AnnualDiscountRate, c.TotalUndiscounted, c.Mean)
	}
	if r.Output != "" {
		fmt.Fprintf(w, "wrote %d customers to %s\n", r.Customers, r.Output)
	}
}

func paramString(p any) string {
	switch m := p.(type) {
	case clv.BGNBD:
		return fmt.Sprintf("r=%.4f alpha=%.4f a=%.4f b=%.4f", m.R, m.Alpha, m.A, m.B)
	case clv.ParetoNBD:
		return fmt.Sprintf("r=%.4f alpha=%.4f s=%.4f beta=%.4f", m.R, m.Alpha, m.S, m.Beta)
	case clv.GammaGamma:
		return fmt.Sprintf("p=%.4f q=%.4f gamma=%.4f", m.P, m.Q, m.Gamma)
	}
	return fmt.Sprint(p)
}

func printFit(w io.Writer, f *clv.FitReport) {
	state := "converged"
	if !f.Converged {
		state = "NOT converged"
	}
	fmt.Fprintf(w, "  log-likelihood %.3f, %s after %d iterations (max |gradient| %.2g, %s)\n",
		f.LogLik, state, f.Iterations, f.GradNorm, f.Status)
}
