// Command cairn is the Cairn customer data platform in one binary.
package main

import "github.com/cairn-cdp/cairn/internal/cli"

func main() { cli.Main() }
