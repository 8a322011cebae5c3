package errkind

import (
	"errors"
	"testing"
)

var (
	errRoot  = New("x: root", nil)
	errChild = New("x: child", errRoot)
	errLeaf  = New("x: leaf", errChild)
	errOther = New("x: other", errRoot)
	errQuiet = errors.New("x: too large")
)

func TestKindMatchesItsAncestors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{name: "itself", err: errLeaf, target: errLeaf, want: true},
		{name: "parent", err: errLeaf, target: errChild, want: true},
		{name: "grandparent", err: errLeaf, target: errRoot, want: true},
		{name: "a child is not its parent", err: errChild, target: errLeaf, want: false},
		{name: "a sibling class does not match", err: errOther, target: errChild, want: false},
		{name: "wrapped in a detailed error", err: detailed{errLeaf, errQuiet}, target: errRoot, want: true},
		{name: "the cause of a detailed error", err: detailed{errLeaf, errQuiet}, target: errQuiet, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
			}
		})
	}
	if errLeaf.Error() != "x: leaf" {
		t.Errorf("Error() = %q", errLeaf.Error())
	}
}

// detailed is an error like itsdangerous.Error: a class and a cause.
type detailed struct{ kind, cause error }

func (d detailed) Error() string   { return Message("x: ", d.kind, "", d.cause, errQuiet) }
func (d detailed) Unwrap() []error { return Unwrap(d.kind, d.cause) }

func TestMessage(t *testing.T) {
	tests := []struct {
		name   string
		kind   error
		reason string
		cause  error
		want   string
	}{
		{name: "reason", kind: errLeaf, reason: "Signature age 11 > 10 seconds", want: "x: Signature age 11 > 10 seconds"},
		{name: "no reason: the class's message", kind: errLeaf, want: "x: leaf"},
		{name: "cause appended", kind: errChild, reason: "bad", cause: errors.New("inner"), want: "x: bad: inner"},
		{name: "quiet cause left out", kind: errChild, reason: "bad", cause: errQuiet, want: "x: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message("x: ", tt.kind, tt.reason, tt.cause, errQuiet); got != tt.want {
				t.Errorf("Message = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnwrap(t *testing.T) {
	if got := Unwrap(errLeaf, nil); len(got) != 1 || got[0] != errLeaf {
		t.Errorf("Unwrap without cause = %v, want [kind]", got)
	}
	if got := Unwrap(errLeaf, errQuiet); len(got) != 2 || got[0] != errLeaf || got[1] != errQuiet {
		t.Errorf("Unwrap = %v, want [kind cause]", got)
	}
}
