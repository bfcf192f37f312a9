package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// clvCDNOWSample is the CDNOW 1/10th sample (see ../shared/datasets/README.md).
const clvCDNOWSample = "../../../shared/datasets/cdnow/CDNOW_sample.txt"

func runCLV(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := analyticsCLV(t.Context(), args, &out, &errs)
	return code, out.String(), errs.String()
}

func clvNeedCDNOW(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(clvCDNOWSample); err != nil {
		if os.Getenv("CAIRN_REQUIRE_DATASETS") == "1" {
			t.Fatalf("reference dataset not available: %v", err)
		}
		t.Skipf("reference dataset not available: %v", err)
	}
}

// clvJSON is the part of the -json report the tests read.
type clvJSON struct {
	Customers       int    `json:"customers"`
	RepeatCustomers int    `json:"repeat_customers"`
	CalibrationEnd  string `json:"calibration_end"`
	Model           string `json:"model"`
	PurchaseModel   struct {
		Params map[string]float64 `json:"params"`
		Fit    struct {
			LogLik    float64 `json:"log_likelihood"`
			Converged bool    `json:"converged"`
			Iter      int     `json:"iterations"`
			GradNorm  float64 `json:"grad_norm"`
		} `json:"fit"`
	} `json:"purchase_model"`
	SpendModel struct {
		Params map[string]float64 `json:"params"`
		Fit    struct {
			LogLik    float64 `json:"log_likelihood"`
			Converged bool    `json:"converged"`
		} `json:"fit"`
		Error string `json:"error"`
	} `json:"spend_model"`
	Prediction struct {
		Weeks float64 `json:"weeks"`
		Total float64 `json:"expected_purchases_total"`
	} `json:"prediction"`
	Holdout *struct {
		Weeks     float64 `json:"weeks"`
		Actual    int     `json:"actual_repeat_purchases"`
		Predicted float64 `json:"predicted_repeat_purchases"`
	} `json:"holdout"`
	CLV *struct {
		Total             float64 `json:"total"`
		TotalUndiscounted float64 `json:"total_undiscounted"`
	} `json:"clv"`
}

func clvReadCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}

func clvNum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

func TestAnalyticsCLVOnCDNOW(t *testing.T) {
	t.Parallel()
	clvNeedCDNOW(t)
	out := filepath.Join(t.TempDir(), "clv.csv")
	code, stdout, stderr := runCLV(t, "--transactions", clvCDNOWSample, "--calibration-end", "1997-09-30",
		"--predict-weeks", "39", "--output", out, "-json")
	require.Equal(t, 0, code, stderr)

	var rep clvJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	require.Equal(t, 2357, rep.Customers)
	require.Equal(t, 946, rep.RepeatCustomers)
	require.Equal(t, "1997-09-30", rep.CalibrationEnd)
	require.Equal(t, "bgnbd", rep.Model)
	// Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
	p := rep.PurchaseModel.Params
	require.InDelta(t, 0.243, p["r"], 5e-4)
	require.InDelta(t, 4.414, p["alpha"], 5e-4)
	require.InDelta(t, 0.793, p["a"], 5e-4)
	require.InDelta(t, 2.426, p["b"], 5e-4)
	require.InDelta(t, -9582.4, rep.PurchaseModel.Fit.LogLik, 0.05)
	require.True(t, rep.PurchaseModel.Fit.Converged)
	require.Positive(t, rep.PurchaseModel.Fit.Iter)
	// Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44.
	g := rep.SpendModel.Params
	require.InDelta(t, 6.25, g["p"], 5e-3)
	require.InDelta(t, 3.74, g["q"], 5e-3)
	require.InDelta(t, 15.44, g["gamma"], 5e-3)
	require.InDelta(t, -4055.9177, rep.SpendModel.Fit.LogLik, 5e-4)
	require.True(t, rep.SpendModel.Fit.Converged)
	// The file runs to 1998-06-30: a full 39-week holdout to check against.
	require.NotNil(t, rep.Holdout)
	require.Equal(t, 39.0, rep.Holdout.Weeks)
	require.Positive(t, rep.Holdout.Actual)
	require.InDelta(t, rep.Prediction.Total, rep.Holdout.Predicted, 1e-6)
	require.InDelta(t, float64(rep.Holdout.Actual), rep.Holdout.Predicted, 0.2*float64(rep.Holdout.Actual))

	rows := clvReadCSV(t, out)
	require.Equal(t, []string{"id", "x", "t_x", "T", "expected_purchases", "p_alive", "expected_spend", "clv", "clv_undiscounted"}, rows[0])
	require.Len(t, rows, 2358)
	// Sample customer 1 is Hardie's worked example: x = 2, t_x = 30.43,
	// T = 38.86, 1.226 expected purchases in 39 weeks.
	first := rows[1]
	require.Equal(t, "0001", first[0])
	require.Equal(t, "2", first[1])
	require.InDelta(t, 213.0/7, clvNum(t, first[2]), 1e-12)
	require.InDelta(t, 272.0/7, clvNum(t, first[3]), 1e-12)
	require.InDelta(t, 1.226, clvNum(t, first[4]), 5e-4)
	var total, totalFlat, purchases float64
	for _, r := range rows[1:] {
		pa, spend, value, flat := clvNum(t, r[5]), clvNum(t, r[6]), clvNum(t, r[7]), clvNum(t, r[8])
		require.True(t, pa >= 0 && pa <= 1, r)
		require.Positive(t, spend, r)
		require.True(t, value >= 0 && value <= flat, "discounting lowers value: %v", r)
		if pa > 1e-6 {
			require.Less(t, value, flat, r)
		}
		if r[1] == "0" {
			require.Equal(t, "1", r[5], "BG/NBD: no repeat, no dropout")
		}
		total += value
		totalFlat += flat
		purchases += clvNum(t, r[4])
	}
	require.InDelta(t, rep.CLV.Total, total, 0.01)
	require.InDelta(t, rep.CLV.TotalUndiscounted, totalFlat, 0.01)
	require.InDelta(t, rep.Prediction.Total, purchases, 0.01)

	// The text report says the same.
	code, stdout, stderr = runCLV(t, "--transactions", clvCDNOWSample, "--calibration-end", "19970930", "--predict-weeks", "39")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"customers: 2357 (946 with repeat purchases); calibration ends 1997-09-30",
		"BG/NBD: r=0.2426 alpha=4.4136 a=0.7929 b=2.4259",
		"log-likelihood -9582.429, converged",
		"Gamma-Gamma: p=6.2496 q=3.7442 gamma=15.4435 (946 customers",
		"log-likelihood -4055.918, converged",
		fmt.Sprintf("expected repeat purchases in the next 39 weeks: %.1f", rep.Prediction.Total),
		fmt.Sprintf("%d repeat purchase days recorded", rep.Holdout.Actual),
		fmt.Sprintf("CLV over 39 weeks: total %.2f discounted at 10%% a year", rep.CLV.Total),
	} {
		require.Contains(t, stdout, want)
	}
}

// The same transactions as a generic CSV give the same fit.
func TestAnalyticsCLVGenericCSV(t *testing.T) {
	t.Parallel()
	clvNeedCDNOW(t)
	f, err := os.Open(clvCDNOWSample)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	b.WriteString("timestamp,customer_id,value,quantity\n")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		d := fl[2]
		fmt.Fprintf(&b, "%s-%s-%sT12:00:00Z,c%s,%s,%s\n", d[:4], d[4:6], d[6:], fl[1], fl[4], fl[3])
	}
	require.NoError(t, sc.Err())
	path := filepath.Join(t.TempDir(), "tx.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))

	code, stdout, stderr := runCLV(t, "--transactions", path, "--calibration-end", "1997-09-30", "-json", "--predict-weeks", "39")
	require.Equal(t, 0, code, stderr)
	var rep clvJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Equal(t, 2357, rep.Customers)
	require.InDelta(t, -9582.429, rep.PurchaseModel.Fit.LogLik, 5e-4)
	require.InDelta(t, 0.243, rep.PurchaseModel.Params["r"], 5e-4)
}

func TestAnalyticsCLVPareto(t *testing.T) {
	t.Parallel()
	clvNeedCDNOW(t)
	code, stdout, stderr := runCLV(t, "--transactions", clvCDNOWSample, "--calibration-end", "1997-09-30", "--model", "pareto", "-json")
	require.Equal(t, 0, code, stderr)
	var rep clvJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Equal(t, "pareto", rep.Model)
	require.InDelta(t, 0.553, rep.PurchaseModel.Params["r"], 1e-3)
	require.InDelta(t, 0.606, rep.PurchaseModel.Params["s"], 1e-3)
	require.InDelta(t, -9594.98, rep.PurchaseModel.Fit.LogLik, 0.005)
	require.Equal(t, 52.0, rep.Prediction.Weeks, "the default horizon")
}

func TestAnalyticsCLVBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	var noRepeats strings.Builder
	for i := range 50 {
		fmt.Fprintf(&noRepeats, "%d 199701%02d 1 10.00\n", i, 1+i%28)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file flag", nil, 2, "--transactions FILE"},
		{"positional", []string{"x.txt"}, 2, "--transactions FILE"},
		{"bad end", []string{"--transactions", "x", "--calibration-end", "30/09/1997"}, 2, "not a date"},
		{"bad model", []string{"--transactions", "x", "--model", "rfm"}, 2, "bgnbd or pareto"},
		{"bad horizon", []string{"--transactions", "x", "--predict-weeks", "-1"}, 2, "must be positive"},
		{"bad rate", []string{"--transactions", "x", "--discount-rate", "-1"}, 2, "must exceed -1"},
		{"missing file", []string{"--transactions", filepath.Join(dir, "nope.txt")}, 1, "no such file"},
		{"bad format", []string{"--transactions", write("a.txt", "1 19970101 1 1\n"), "--format", "xml"}, 1, `--format "xml"`},
		{"malformed cdnow", []string{"--transactions", write("b.txt", "1 19970101 1 1.5\n1 19970102 1 1.5\n1 1997-01-03 1 1\n")}, 1, "b.txt: line 3: bad date"},
		{"malformed csv", []string{"--transactions", write("c.csv", "customer_id,timestamp,value\n1,2024-01-01,5\n1,2024-01-02,five\n")}, 1, `c.csv: line 3: bad value "five"`},
		{"empty", []string{"--transactions", write("d.txt", "\n\n")}, 1, "no transactions"},
		{"nobody repeats", []string{"--transactions", write("e.txt", noRepeats.String())}, 1, "not identifiable from the data: none of the 50 customers made a repeat purchase"},
		{"calibration before the data", []string{"--transactions", write("f.txt", "1 19970101 1 1\n"), "--calibration-end", "1996-01-01"}, 1, "no customers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLV(t, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.want)
			require.Empty(t, stdout)
		})
	}
}

// When spend cannot be modelled (every purchase worth the same) the purchase
// forecast is still written, with spend and CLV left empty.
func TestAnalyticsCLVWithoutSpendModel(t *testing.T) {
	t.Parallel()
	clvNeedCDNOW(t)
	f, err := os.Open(clvCDNOWSample)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		fmt.Fprintf(&b, "%s %s %s 9.99\n", fl[1], fl[2], fl[3])
	}
	require.NoError(t, sc.Err())
	dir := t.TempDir()
	path := filepath.Join(dir, "flat.txt")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	out := filepath.Join(dir, "out.csv")

	code, stdout, stderr := runCLV(t, "--transactions", path, "--calibration-end", "1997-09-30", "--output", out, "-json")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "warning: no expected spend or CLV")
	var rep clvJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Contains(t, rep.SpendModel.Error, "not identifiable")
	require.Nil(t, rep.CLV)
	require.InDelta(t, -9582.429, rep.PurchaseModel.Fit.LogLik, 5e-4, "the purchase model does not depend on values")
	rows := clvReadCSV(t, out)
	require.Len(t, rows, 2358)
	require.Equal(t, []string{"", "", ""}, rows[1][6:])
	require.NotEmpty(t, rows[1][4])
}
