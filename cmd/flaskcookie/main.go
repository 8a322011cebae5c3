package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/safetext"
)

// Exit codes of the contract.
const (
	exitOK    = 0 // success
	exitData  = 1 // malformed, unverified or expired cookie; bad value; key not found
	exitUsage = 2 // bad command line
)

// env is the outside world of one run, so that tests and the demo can
// replace it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stdoutTTY      bool // stdout is a terminal: colour allowed
	stderrTTY      bool // stderr is a terminal: progress shown
	noColor        bool // NO_COLOR is set
	now            func() time.Time
	// tick, when set, replaces time.NewTicker for the progress display:
	// it returns the ticks every d and a function that stops them.
	tick func(d time.Duration) (<-chan time.Time, func())
}

// ticker returns ticks every d (time.NewTicker unless e.tick is set) and
// the function that stops them.
func (e *env) ticker(d time.Duration) (<-chan time.Time, func()) {
	if e.tick != nil {
		return e.tick(d)
	}
	t := time.NewTicker(d)
	return t.C, t.Stop
}

func main() {
	e := &env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		noColor:   os.Getenv("NO_COLOR") != "",
		now:       time.Now,
	}
	os.Exit(run(e, os.Args[1:]))
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// color reports whether output to stdout may be coloured.
func (e *env) color() bool { return e.stdoutTTY && !e.noColor }

// A command is one subcommand.
type command struct {
	name  string
	short string // one line for the command list
	help  string // the full help text
	run   func(e *env, args []string) error
}

var commands []*command

func init() {
	commands = []*command{
		{"decode", "print the session held in a cookie", helpDecode, runDecode},
		{"encode", "make a signed (or sealed) session cookie", helpEncode, runEncode},
		{"inspect", "show a cookie's anatomy: payload, dates, sizes, signature", helpInspect, runInspect},
		{"unsign", "find the secret key of a cookie in a wordlist", helpUnsign, runUnsign},
		{"demo", "decode a built-in sample cookie with every format", helpDemo, runDemo},
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a bad command line: exit 2.
type usageError struct {
	cmd string // "" for the top level
	msg string
}

func (u *usageError) Error() string { return u.msg }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// helpRequest is returned by flag parsing for -h: the help goes to stdout
// and the exit code is 0.
type helpRequest struct{ cmd string }

func (h *helpRequest) Error() string { return "help requested" }

// run runs the command line args and returns the exit code.
func run(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, helpMain)
		return exitUsage
	}
	var err error
	name := args[0]
	switch {
	case name == "-h" || name == "-help" || name == "--help":
		fmt.Fprint(e.stdout, helpMain)
		return exitOK
	case name == "help":
		return runHelp(e, args[1:])
	case name == "version" || name == "--version" || name == "-version":
		fmt.Fprintln(e.stdout, version())
		return exitOK
	case strings.HasPrefix(name, "-"):
		name = "flask-unsign"
		err = runFlaskUnsign(e, args)
	default:
		c := lookup(name)
		if c == nil {
			err = usagef("", "unknown command %q; the commands are decode, encode, inspect, unsign and demo", name)
			break
		}
		err = c.run(e, args[1:])
	}
	return report(e, name, err)
}

// report prints err as the contract wants and returns the exit code.
func report(e *env, name string, err error) int {
	var u *usageError
	var h *helpRequest
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &h):
		fmt.Fprint(e.stdout, helpFor(h.cmd))
		return exitOK
	case errors.As(err, &u):
		prefix := "flaskcookie: "
		hint := "Run 'flaskcookie help' for usage."
		if u.cmd != "" {
			prefix = "flaskcookie " + u.cmd + ": "
			hint = "Run 'flaskcookie help " + u.cmd + "' for usage."
		}
		fmt.Fprintf(e.stderr, "%s%s\n%s\n", prefix, oneLine(u.msg), hint)
		return exitUsage
	default:
		// Exactly one line on stderr.
		fmt.Fprintf(e.stderr, "flaskcookie %s: %s\n", name, oneLine(err.Error()))
		return exitData
	}
}

// oneLine keeps a message on one line, with every character that could
// act on a terminal escaped (safetext.Escape): messages quote cookies,
// cookie names and payloads, which anyone can write.
func oneLine(s string) string {
	return safetext.Escape(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(strings.TrimSpace(s)))
}

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, helpMain)
		return exitOK
	}
	if len(args) > 1 {
		return report(e, "help", usagef("", "help takes one command name"))
	}
	text := helpFor(args[0])
	if text == "" {
		return report(e, "help", usagef("", "no help for %q; the commands are decode, encode, inspect, unsign, demo, flask-unsign and help", args[0]))
	}
	fmt.Fprint(e.stdout, text)
	return exitOK
}

func helpFor(name string) string {
	switch name {
	case "":
		return helpMain
	case "flask-unsign":
		return helpFlaskUnsign
	case "help", "-h", "-help", "--help":
		return helpHelp
	}
	if c := lookup(name); c != nil {
		return c.help
	}
	return ""
}

// newFlagSet returns a silent FlagSet: errors are reported by report.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags anywhere among the arguments, as most command
// line tools allow ("decode COOKIE --secret K"), and returns the
// positional arguments. "--" ends the flags; "-" is a positional argument.
func parseArgs(cmd string, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{cmd: cmd}
			}
			return nil, usagef(cmd, "%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
