// Package errkind holds the error mechanism shared by packages itsdangerous
// and django: class sentinels that refine a parent class, so that one
// errors.Is matches every level of a Python exception hierarchy, and the
// message and unwrapping of their detailed errors.
package errkind

import (
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/safetext"
)

// Kind is a sentinel error that may refine another (its parent): a Kind
// matches, with errors.Is, itself and every ancestor.
type Kind struct {
	msg    string
	parent error
}

// New returns a sentinel with message msg that refines parent (nil for a
// root class).
func New(msg string, parent error) *Kind { return &Kind{msg: msg, parent: parent} }

// Error returns the message given to New.
func (k *Kind) Error() string { return k.msg }

// Unwrap returns the parent, or nil.
func (k *Kind) Unwrap() error { return k.parent }

// Message formats a detailed error: prefix (such as "django: ") and reason,
// or, when reason is empty, kind's message without prefix; then ": " and
// cause unless cause is nil or quiet (a sentinel that the class already
// tells, such as ErrTooLarge). Reason and cause may quote a token's bytes:
// control, bidirectional and other non-printable characters in them are
// escaped (safetext.Escape), so the message is safe to log or print.
func Message(prefix string, kind error, reason string, cause, quiet error) string {
	var b strings.Builder
	b.WriteString(prefix)
	if reason != "" {
		b.WriteString(safetext.Escape(reason))
	} else {
		b.WriteString(strings.TrimPrefix(kind.Error(), prefix))
	}
	if cause != nil && cause != quiet {
		b.WriteString(": ")
		b.WriteString(safetext.Escape(cause.Error()))
	}
	return b.String()
}

// Unwrap returns kind and cause, or only kind when cause is nil: what a
// detailed error unwraps to, so that errors.Is matches both.
func Unwrap(kind, cause error) []error {
	if cause == nil {
		return []error{kind}
	}
	return []error{kind, cause}
}
