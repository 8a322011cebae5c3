package inputlimit

import (
	"math"
	"testing"
)

func TestInflate(t *testing.T) {
	tests := []struct {
		name                string
		textLen, max, ratio int
		want                int
	}{
		{"short token: the floor", 100, 4 << 20, 64, MinInflate},
		{"4 KB cookie", 4000, 4 << 20, 64, 256000},
		{"capped by the maximum", 1 << 20, 4 << 20, 64, 4 << 20},
		{"floor capped by a small maximum", 10, 1000, 64, 1000},
		{"no ratio", 10, 4 << 20, -1, 4 << 20},
		{"no overflow", math.MaxInt / 2, math.MaxInt, 64, math.MaxInt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Inflate(tt.textLen, tt.max, tt.ratio); got != tt.want {
				t.Errorf("Inflate(%d, %d, %d) = %d, want %d", tt.textLen, tt.max, tt.ratio, got, tt.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		name       string
		textLen, n int
		want       int
	}{
		{"short token: the floor", 100, 0, MinValues},
		{"5.5 KB cookie", 5500, 0, 11000},
		{"fixed", 5500, 10, 10},
		{"off", 5500, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Values(tt.textLen, tt.n); got != tt.want {
				t.Errorf("Values(%d, %d) = %d, want %d", tt.textLen, tt.n, got, tt.want)
			}
		})
	}
}
