package audience

import (
	"testing"
)

// benchMember is a typical member: two emails, a phone without a country
// code, a full US address.
var benchMember = Member{ProfileID: "p1", Emails: []string{"Ann.Lee@Gmail.com", "ann@work.example"}, Phones: []string{"(303) 555-0101"},
	FirstName: "Ann", LastName: "Lee", Country: "US", PostalCode: "80202", City: "Denver", State: "Colorado"}

func BenchmarkRows(b *testing.B) {
	for _, f := range []Format{GoogleCustomerMatch{}, MetaCustomAudience{}, HashedList{}} {
		b.Run(f.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(f.Rows(benchMember)) == 0 {
					b.Fatal("no rows")
				}
			}
		})
	}
}
