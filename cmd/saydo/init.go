package main

import (
	"context"
	"fmt"

	"github.com/saydo/saydo/yaml"
)

var initCommand = &command{
	name:  "init",
	args:  "DIR",
	short: "start a workspace: saydo.yaml, style/ and messages/ with commented examples",
	help: `Examples:
  saydo init nordtel          write nordtel/saydo.yaml, nordtel/style/, nordtel/messages/
  cd nordtel && saydo check   validate it after editing

The workspace is meant for version control: promises as code, reviewed like code.
init refuses to overwrite an existing saydo.yaml.`,
	run: func(ctx context.Context, e *env, o options, args []string) error {
		if len(args) != 1 {
			return usageError{"want exactly one DIR"}
		}
		files, err := yaml.Scaffold(args[0])
		if err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(e.stdout, "wrote %s\n", f)
		}
		fmt.Fprintf(e.stdout, "\nNext: edit %s/saydo.yaml, then run 'saydo check --workspace %s'.\n", args[0], args[0])
		return nil
	},
}
