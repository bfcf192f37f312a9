// Package storetest is the one contract suite for store.Log and store.State.
// Every backend's tests call Run with a function that opens a fresh, empty
// pair of stores and closes them in t.Cleanup:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) (store.Log, store.State) { ... })
//	}
//
// Times are compared at microsecond precision: the suite only uses
// microsecond-precise times and expects them back equal and in UTC. JSON
// trait values are expected back byte-equal to their compacted form.
package storetest
