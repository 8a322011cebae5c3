module github.com/flaskcookie/flaskcookie/bench

go 1.22

replace github.com/flaskcookie/flaskcookie => ../

require (
	github.com/flaskcookie/flaskcookie v0.0.0
	github.com/gorilla/securecookie v1.1.2
)
