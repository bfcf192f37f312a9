// Command cairn is the Cairn customer data platform in one binary.
package main

import (
	_ "time/tzdata" // customers' time zones must resolve on hosts without a zoneinfo database

	"github.com/cairn-cdp/cairn/internal/cli"
)

func main() { cli.Main() }
