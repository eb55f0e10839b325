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
	args:  "add NAME --role ROLE | list | role NAME ROLE | password NAME | logout NAME | remove NAME",
	short: "manage the people who sign in to the dashboard",
	help: `Roles: viewer reads; analyst reads and imports evidence; approver reads and
approves or sends back messages; admin does everything and manages users
and tokens. Passwords are stored as argon2id hashes.

  add NAME --role R    a new user
  list                 every user, with role and creation date
  role NAME ROLE       change a user's role
  password NAME        reset a user's password
  logout NAME          sign a user out everywhere
  remove NAME          remove a user (their reviews and audit entries keep the name)

Changing a role, resetting a password, signing out and removing each end
the user's sessions at once: an open dashboard loses its old rights on its
next request. Every change is in the audit log (actor cli). An admin can do
the same from the dashboard's Users page or PATCH/DELETE /api/v1/users/NAME.

The password comes from --password, else $SAYDO_PASSWORD, else it is asked
for on the terminal.

Examples:
  saydo user add ana --role approver
  SAYDO_PASSWORD=... saydo user add ci-viewer --role viewer
  saydo user role ana viewer
  saydo user password ana
  saydo user remove ana
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
		return usageError{"want a subcommand: add, list, role, password, logout or remove"}
	}
	switch args[0] {
	case "role", "password", "logout", "remove":
		return changeUser(ctx, e, o, args)
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
		return usageError{fmt.Sprintf("unknown subcommand %q: want add, list, role, password, logout or remove", args[0])}
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

// changeUser runs user role|password|logout|remove.
func changeUser(ctx context.Context, e *env, o options, args []string) error {
	sub := args[0]
	want := 2
	if sub == "role" {
		want = 3
	}
	if len(args) != want {
		if sub == "role" {
			return usageError{"want NAME and ROLE: saydo user role NAME ROLE"}
		}
		return usageError{fmt.Sprintf("want one NAME: saydo user %s NAME", sub)}
	}
	name := args[1]
	var role saydo.Role
	var password string
	var err error
	switch sub {
	case "role":
		if role, err = saydo.ParseRole(args[2]); err != nil {
			return usageError{err.Error()}
		}
	case "password":
		if password, err = readPassword(e, o); err != nil {
			return err
		}
	}
	st, err := openServerStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.UserByName(ctx, name)
	if errors.Is(err, saydo.ErrNotFound) {
		return problems("no user %q (saydo user list shows them)", name)
	}
	if err != nil {
		return err
	}
	var msg, action, detail string
	switch sub {
	case "role":
		err = st.SetRole(ctx, name, role)
		msg = fmt.Sprintf("%s is now %s; their sessions ended.", name, role)
		action, detail = "user_role", fmt.Sprintf("%s -> %s; sessions ended", u.Role, role)
	case "password":
		err = st.SetPassword(ctx, name, http.HashPassword(password))
		msg = fmt.Sprintf("%s's password was reset; their sessions ended.", name)
		action, detail = "user_password", "reset; sessions ended"
	case "logout":
		var n int
		n, err = st.EndSessions(ctx, name)
		msg = fmt.Sprintf("%s was signed out: %d %s ended.", name, n, plural(n, "session", "sessions"))
		action, detail = "user_sessions_end", fmt.Sprintf("%d %s ended", n, plural(n, "session", "sessions"))
	case "remove":
		err = st.DeleteUser(ctx, name)
		msg = fmt.Sprintf("Removed %s (was %s); their sessions ended.", name, u.Role)
		action, detail = "user_remove", "was "+string(u.Role)+"; sessions ended"
	}
	if err != nil {
		return err
	}
	if err := st.AppendAudit(ctx, saydo.AuditEntry{At: e.now().UTC(), Actor: "cli", Action: action, Target: name, Detail: detail}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, msg)
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
	if len(p) > 1024 {
		return "", usageError{"the password is too long: at most 1024 characters"}
	}
	return p, nil
}
