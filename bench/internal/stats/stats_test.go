package stats

import "testing"

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    []float64
		want float64
	}{
		{"none", nil, 0},
		{"one", []float64{3}, 3},
		{"odd, unsorted", []float64{5, 1, 3}, 3},
		{"even", []float64{4, 1, 2, 3}, 2.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.v...)
			if got := Median(tc.v); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", in, got, tc.want)
			}
			for i := range in {
				if in[i] != tc.v[i] {
					t.Errorf("Median changed its input: %v, was %v", tc.v, in)
				}
			}
		})
	}
}
