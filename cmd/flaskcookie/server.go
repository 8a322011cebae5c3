package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/audit"
)

// serverFlags fetch the cookie from a running app (Flask-Unsign's
// --server).
type serverFlags struct {
	url      string
	method   string
	headers  listFlag
	cookies  listFlag
	timeout  time.Duration
	follow   bool
	insecure bool
	name     string
}

// maxRedirects bounds --follow, as browsers do.
const maxRedirects = 10

func addServerFlags(fs *flag.FlagSet) *serverFlags {
	s := &serverFlags{}
	fs.StringVar(&s.url, "server", "", "")
	fs.StringVar(&s.method, "method", http.MethodGet, "")
	fs.Var(&s.headers, "H", "")
	fs.Var(&s.headers, "header", "")
	fs.Var(&s.cookies, "send-cookie", "")
	fs.DurationVar(&s.timeout, "timeout", 10*time.Second, "")
	fs.BoolVar(&s.follow, "follow", false, "")
	fs.BoolVar(&s.insecure, "insecure", false, "")
	fs.StringVar(&s.name, "cookie-name", "", "")
	return s
}

// errNoCookie: the server answered without the cookie wanted.
var errNoCookie = errors.New("no cookie")

// fetch requests the URL and returns the cookie the response sets: the one
// named --cookie-name (or --name), else the first whose value has the
// shape of a signed cookie of a known format.
func (s *serverFlags) fetch(e *env, names []string) (namedCookie, error) {
	u, err := url.Parse(s.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return namedCookie{}, usagef("unsign", "--server wants an http:// or https:// URL, not %s", strconv.Quote(s.url))
	}
	if s.timeout <= 0 {
		return namedCookie{}, usagef("unsign", "--timeout wants a positive duration such as 10s")
	}
	method := strings.ToUpper(s.method)
	if method == "" || strings.ContainsAny(method, " \t\r\n") {
		return namedCookie{}, usagef("unsign", "bad --method %s", strconv.Quote(s.method))
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return namedCookie{}, usagef("unsign", "bad request: %v", err)
	}
	for _, h := range s.headers {
		k, v, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return namedCookie{}, usagef("unsign", "-H wants \"Name: value\", not %s", strconv.Quote(h))
		}
		req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	for _, c := range s.cookies {
		k, v, ok := strings.Cut(c, "=")
		ck := &http.Cookie{Name: strings.TrimSpace(k), Value: v}
		if !ok || ck.Valid() != nil {
			return namedCookie{}, usagef("unsign", "--send-cookie wants NAME=VALUE, not %s", strconv.Quote(c))
		}
		req.AddCookie(ck)
	}
	var seen []*http.Cookie // from every response, redirects included
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if s.insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asks for it
	}
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if !s.follow {
				return http.ErrUseLastResponse
			}
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects (a redirect loop?)", maxRedirects)
			}
			return nil
		},
	}
	defer client.CloseIdleConnections()
	// Record the cookies of redirect responses too.
	client.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(r)
		if err == nil {
			seen = append(seen, resp.Cookies()...)
		}
		return resp, err
	})
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ue) && ue.Timeout()):
			return namedCookie{}, fmt.Errorf("fetching %s: no answer within %s (--timeout)", quoteURL(s.url), s.timeout)
		case errors.As(err, &ue):
			return namedCookie{}, fmt.Errorf("fetching %s: %v", quoteURL(s.url), oneLine(ue.Err.Error()))
		}
		return namedCookie{}, fmt.Errorf("fetching %s: %v", quoteURL(s.url), err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	want := s.name
	if want != "" {
		for i := len(seen) - 1; i >= 0; i-- {
			if seen[i].Name == want && seen[i].Value != "" {
				return namedCookie{name: want, value: seen[i].Value}, nil
			}
		}
	} else {
		for _, c := range seen {
			if c.Value != "" && audit.Detect(c.Value).Format != "" {
				return namedCookie{name: c.Name, value: c.Value}, nil
			}
		}
	}
	var got []string
	for _, c := range seen {
		got = append(got, strconv.Quote(c.Name))
	}
	what := "no cookie"
	if want != "" {
		what = "no cookie named " + strconv.Quote(want)
	} else if len(got) > 0 {
		what = "no signed cookie of a known format"
	}
	also := ""
	if len(got) > 0 {
		also = " (it set " + strings.Join(got, ", ") + ")"
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && !s.follow {
		also += "; it answered " + strconv.Itoa(resp.StatusCode) + " (a redirect): --follow follows it"
	}
	return namedCookie{}, &noCookieError{fmt.Sprintf("%s set %s%s", quoteURL(s.url), what, also)}
}

// noCookieError is errNoCookie with its message.
type noCookieError struct{ msg string }

func (n *noCookieError) Error() string        { return n.msg }
func (n *noCookieError) Is(target error) bool { return target == errNoCookie }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// quoteURL shows a URL from the command line in a message.
func quoteURL(u string) string { return strconv.Quote(u) }
