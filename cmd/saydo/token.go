package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/http"
)

var tokenCommand = &command{
	name:  "token",
	args:  "create --role R --name N | list | revoke ID",
	short: "create API tokens for scripts, CI and Prometheus",
	help: `A token carries a role, like a user (viewer, analyst, approver, admin). It is
printed once, alone on the last line, and stored only as a SHA-256 hash: keep
it somewhere safe. Send it as Authorization: Bearer TOKEN.

Examples:
  saydo token create --role analyst --name nightly-import
  saydo token create --role viewer --name contractor --expires 30d
  TOKEN=$(saydo token create --role viewer --name prometheus | tail -1)
  saydo token list
  saydo token revoke 3`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "role", "", "the token's `ROLE`: viewer, analyst, approver or admin")
		o.defStr(fs, "name", "", "what the token is for, shown in the audit log")
		o.defStr(fs, "expires", "", "the token's `LIFETIME` (90d, 12h) or last day (YYYY-MM-DD); default: never")
	},
	run: runToken,
}

func runToken(ctx context.Context, e *env, o options, args []string) error {
	if len(args) == 0 {
		return usageError{"want a subcommand: create, list or revoke"}
	}
	switch args[0] {
	case "create":
		if len(args) > 1 {
			return usageError{fmt.Sprintf("unexpected argument %q", args[1])}
		}
		role, err := saydo.ParseRole(o.str("role"))
		if err != nil {
			return usageError{"--role: " + err.Error()}
		}
		name := o.str("name")
		if name == "" || len(name) > 64 {
			return usageError{"--name: say what the token is for (1 to 64 characters)"}
		}
		expires, err := http.ParseExpiry(o.str("expires"), e.now())
		if err != nil {
			return usageError{"--" + err.Error()}
		}
		st, err := openServerStore(ctx, e, o)
		if err != nil {
			return err
		}
		defer st.Close()
		secret, hash := http.NewToken()
		t, err := st.CreateToken(ctx, name, role, hash, expires)
		if err != nil {
			return err
		}
		if err := st.AppendAudit(ctx, saydo.AuditEntry{At: t.CreatedAt, Actor: "cli", Action: "token_create", Target: name, Detail: http.TokenAuditDetail(role, expires)}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Created token %d %q (%s%s). It is shown only now:\n%s\n", t.ID, name, role, http.ExpiryText(expires), secret)
		return nil
	case "list":
		st, err := openServerStore(ctx, e, o)
		if err != nil {
			return err
		}
		defer st.Close()
		toks, err := st.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range toks {
			used := "never used"
			if !t.LastUsed.IsZero() {
				used = "used " + t.LastUsed.Format("2006-01-02 15:04")
			}
			if !t.ExpiresAt.IsZero() {
				verb := "expires"
				if t.Expired(e.now()) {
					verb = "expired"
				}
				used += ", " + verb + " " + t.ExpiresAt.UTC().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(e.stdout, "%4d  %-24s %-9s created %s, %s\n", t.ID, t.Name, t.Role, t.CreatedAt.Format("2006-01-02"), used)
		}
		return nil
	case "revoke":
		if len(args) != 2 {
			return usageError{"want one token ID (saydo token list shows them)"}
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("token ID %q: want a number", args[1])}
		}
		st, err := openServerStore(ctx, e, o)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.DeleteToken(ctx, id); err != nil {
			return problems("%v", err)
		}
		st.AppendAudit(ctx, saydo.AuditEntry{Actor: "cli", Action: "token_delete", Target: args[1]})
		fmt.Fprintf(e.stdout, "Revoked token %d.\n", id)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q: want create, list or revoke", args[0])}
}
