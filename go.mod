module github.com/flaskcookie/flaskcookie

go 1.22

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/google/go-cmp v0.7.0
)
