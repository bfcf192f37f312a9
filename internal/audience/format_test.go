package audience

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// members are two customers: one complete, one with only a phone number
// without a country code, and one with nothing to match on.
var members = []Member{
	{ProfileID: "p1", Emails: []string{" Ann.Lee@Gmail.com", "ann@work.example", "ann@work.example"}, Phones: []string{"(303) 555-0101"},
		FirstName: "Ann", LastName: "O'Lee", Country: "us", PostalCode: "80202-1234", City: "Denver", State: "Colorado"},
	{ProfileID: "p2", Phones: []string{"020 7031 3000"}},
	{ProfileID: "p3", FirstName: "Ghost", Emails: []string{"not an email"}},
}

func csvLines(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestGoogleCustomerMatchWrite(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, GoogleCustomerMatch{DefaultRegion: "GB"}.Write(&buf, members))
	addr := sha("ann") + "," + sha("olee") + ",US,80202-1234"
	require.Equal(t, csvLines(
		"Email,Phone,First Name,Last Name,Country,Zip",
		// Sorted, distinct emails; the gmail dots dropped; the first row
		// pairs with the phone; every row carries the full address.
		sha("ann@work.example")+","+sha("+13035550101")+","+addr,
		sha("annlee@gmail.com")+",,"+addr,
		// No country: the phone is read in the default region.
		","+sha("+442070313000")+",,,,",
	), buf.String())
}

func TestGoogleCustomerMatchNeedsTheWholeAddress(t *testing.T) {
	t.Parallel()
	rows := GoogleCustomerMatch{}.Rows(Member{FirstName: "Ann", LastName: "Lee", Country: "US"})
	require.Empty(t, rows, "without a zip the name cannot match")
	rows = GoogleCustomerMatch{}.Rows(Member{FirstName: "Ann", LastName: "Lee", Country: "US", PostalCode: "80202"})
	require.Equal(t, [][]string{{"", "", sha("ann"), sha("lee"), "US", "80202"}}, rows)
}

func TestMetaCustomAudienceWrite(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, MetaCustomAudience{DefaultRegion: "GB"}.Write(&buf, members))
	rest := strings.Join([]string{sha("ann"), sha("olee"), sha("80202"), sha("denver"), sha("co"), sha("us")}, ",")
	require.Equal(t, csvLines(
		"email,phone,fn,ln,zip,ct,st,country",
		// Meta keeps gmail dots: it only trims and lowercases.
		sha("ann.lee@gmail.com")+","+sha("13035550101")+","+rest,
		sha("ann@work.example")+",,"+rest,
		","+sha("442070313000")+",,,,,,",
	), buf.String())
}

func TestHashedListWrite(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	require.NoError(t, HashedList{DefaultRegion: "GB"}.Write(&buf, members))
	require.Equal(t, csvLines(
		"identifier_type,sha256",
		"email,"+sha("ann.lee@gmail.com"),
		"email,"+sha("ann@work.example"),
		"phone,"+sha("+13035550101"),
		"phone,"+sha("+442070313000"),
	), buf.String())
}

func TestNewFormat(t *testing.T) {
	t.Parallel()
	for _, name := range []string{FormatGoogle, FormatMeta, FormatHashed} {
		f, err := NewFormat(name, "US")
		require.NoError(t, err)
		require.Equal(t, name, f.Name())
	}
	_, err := NewFormat("tiktok", "")
	require.ErrorContains(t, err, `unknown audience format "tiktok"`)
}
