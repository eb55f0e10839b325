package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
	"golang.org/x/term"
)

var userCommand = &command{
	name:  "user",
	args:  "add NAME --role viewer|analyst|approver|admin [--password P] | list",
	short: "add the people who sign in to the dashboard",
	help: `Roles: viewer reads; analyst reads and imports evidence; approver reads and
approves or sends back messages; admin does everything and manages users
and tokens. Passwords are stored as argon2id hashes.

The password comes from --password, else $SAYDO_PASSWORD, else it is asked
for on the terminal.

Examples:
  saydo user add ana --role approver
  SAYDO_PASSWORD=... saydo user add ci-viewer --role viewer
  saydo user list`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "role", "", "the user's `ROLE`: viewer, analyst, approver or admin")
		o.defStr(fs, "password", "", "the password (default $SAYDO_PASSWORD, or asked for on a terminal)")
	},
	run: runUser,
}

// minPassword is the shortest password accepted.
const minPassword = 12

func runUser(ctx context.Context, e *env, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"want a subcommand: add or list"}
	}
	switch args[0] {
	case "list":
		st, err := openServerStore(ctx, e, o)
		if err != nil {
			return err
		}
		defer st.Close()
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(e.stdout, "%-24s %-9s %s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02"))
		}
		return nil
	case "add":
	default:
		return usageError{fmt.Sprintf("unknown subcommand %q: want add or list", args[0])}
	}
	if len(args) != 2 {
		return usageError{"want one NAME: saydo user add NAME --role R"}
	}
	name := args[1]
	if name == "" || len(name) > 64 || strings.TrimSpace(name) != name {
		return usageError{"NAME: 1 to 64 characters, no spaces at the ends"}
	}
	role, err := saydo.ParseRole(o.str("role"))
	if err != nil {
		return usageError{"--role: " + err.Error()}
	}
	password, err := readPassword(e, o)
	if err != nil {
		return err
	}
	st, err := openServerStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, name, role, http.HashPassword(password))
	if errors.Is(err, saydo.ErrExists) {
		return problems("a user named %q exists", name)
	}
	if err != nil {
		return err
	}
	if err := st.AppendAudit(ctx, saydo.AuditEntry{At: u.CreatedAt, Actor: "cli", Action: "user_add", Target: name, Detail: "role " + string(role)}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Added %s (%s). Sign in at the dashboard: saydo serve.\n", name, role)
	return nil
}

// readPassword takes the password from --password, $SAYDO_PASSWORD or the
// terminal, in that order.
func readPassword(e *env, o options) (string, error) {
	p := o.str("password")
	if p == "" {
		p = e.getenv("SAYDO_PASSWORD")
	}
	if p == "" {
		f, ok := e.stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", usageError{"no password: pass --password, set SAYDO_PASSWORD, or run on a terminal to be asked"}
		}
		fmt.Fprint(e.stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(e.stderr, "Again: ")
		b2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(b) != string(b2) {
			return "", usageError{"the passwords differ"}
		}
		p = string(b)
	}
	if len(p) < minPassword {
		return "", usageError{fmt.Sprintf("the password is too short: at least %d characters", minPassword)}
	}
	return p, nil
}
