// Command grantd runs the grantd server and its offline tools. All logic
// lives in internal/app; this file only hands over the command line.
package main

import (
	"os"

	"github.com/grantd/grantd/internal/app"
)

func main() { os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr)) }
