package main

import (
	"context"
	"fmt"
)

var checkCommand = &command{
	name:  "check",
	args:  "",
	short: "validate the workspace; errors as file:line:col: message",
	help: `Examples:
  saydo check                      validate ./saydo.yaml
  saydo check --workspace nordtel  validate another workspace

Every problem is reported, not just the first, as file:line:col: message with
the offending line shown. Exit status 1 when there is any error: run it in CI
so a broken promise ledger never lands.`,
	run: func(ctx context.Context, e *env, o options, args []string) error {
		if len(args) > 0 {
			return usageError{"check takes no arguments; use --workspace DIR"}
		}
		ws, err := loadWorkspace(e, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: ok — %d %s, %d %s, %d %s\n", "saydo.yaml",
			len(ws.Promises), plural(len(ws.Promises), "promise", "promises"),
			len(ws.Departments), plural(len(ws.Departments), "department", "departments"),
			len(ws.Metrics()), plural(len(ws.Metrics()), "metric", "metrics"))
		return nil
	},
}
