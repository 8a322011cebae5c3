package main

// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe
// (JSON messages separated by NUL bytes on file descriptors 3 and 4), with
// the standard library only: enough to open a page, wait for it to load,
// run JavaScript and take screenshots.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// browserEnv names the environment variable that, set to "1", makes a
// missing Chromium fail the test instead of skipping it.
const browserEnv = "FLASKCOOKIE_REQUIRE_BROWSER"

// screenshotEnv names a directory where the browser test writes a PNG of
// every page it checks (not set: no screenshots).
const screenshotEnv = "FLASKCOOKIE_SCREENSHOTS"

// cdpTimeout bounds every DevTools call and every wait for a page.
const cdpTimeout = 30 * time.Second

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// browser is a headless Chromium driven over the DevTools pipe.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	out     *os.File // we write commands here (the browser's fd 3)
	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	events  chan cdpMessage
	done    chan struct{} // closed when the pipe from the browser closes
	session string        // the page's flat session
	shots   int
}

// findChromium returns the Chromium binary, or skips (or fails) t.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(browserEnv) == "1" {
		t.Fatalf("no chromium on PATH (%s=1 is set)", browserEnv)
	}
	t.Skipf("no chromium on PATH (install the Debian package chromium; set %s=1 to fail instead)", browserEnv)
	return ""
}

// startBrowser starts headless Chromium with a new empty profile and opens
// one page; it is closed when t ends.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	bin := findChromium(t)
	profile := t.TempDir()
	cmdR, cmdW, err := os.Pipe() // commands: we write, the browser reads fd 3
	if err != nil {
		t.Fatal(err)
	}
	evR, evW, err := os.Pipe() // replies: the browser writes fd 4, we read
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--no-default-browser-check", "--password-store=basic",
		"--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, evW}
	var stderr bytes.Buffer
	cmd.Stderr = &lockedWriter{w: &stderr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	cmdR.Close()
	evW.Close()
	b := &browser{t: t, cmd: cmd, out: cmdW, pending: map[int]chan cdpMessage{},
		events: make(chan cdpMessage, 1024), done: make(chan struct{})}
	go b.read(evR)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		b.call(ctx, "", "Browser.close", nil, nil)
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		cmdW.Close()
		if t.Failed() {
			t.Logf("chromium stderr (tail):\n%s", tail(stderr.String(), 4000))
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), cdpTimeout)
	defer cancel()
	var version struct {
		Product string `json:"product"`
	}
	if err := b.call(ctx, "", "Browser.getVersion", nil, &version); err != nil {
		t.Fatalf("chromium DevTools: %v", err)
	}
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created); err != nil {
		t.Fatal(err)
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	b.session = attached.SessionID
	if err := b.call(ctx, b.session, "Page.enable", nil, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("browser: %s", version.Product)
	return b
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 1<<20 {
		return len(p), nil
	}
	return l.w.Write(p)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// read dispatches the browser's messages: replies to their callers,
// events to b.events (dropped when nobody reads them).
func (b *browser) read(f *os.File) {
	defer close(b.done)
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMessage
		if json.Unmarshal(line[:len(line)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.pending[m.ID]
			delete(b.pending, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		select {
		case b.events <- m:
		default:
		}
	}
}

// call sends one command (to the page's session, or the browser for "")
// and decodes its result into result.
func (b *browser) call(ctx context.Context, session, method string, params, result any) error {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := b.out.Write(append(data, 0)); err != nil {
		return fmt.Errorf("cdp %s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("cdp %s: %d %s", method, m.Error.Code, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-b.done:
		return fmt.Errorf("cdp %s: browser closed the pipe", method)
	case <-ctx.Done():
		return fmt.Errorf("cdp %s: %w", method, ctx.Err())
	}
}

// drainEvents forgets the events received so far.
func (b *browser) drainEvents() {
	for {
		select {
		case <-b.events:
		default:
			return
		}
	}
}

// waitLoad waits for the page's next load event.
func (b *browser) waitLoad(ctx context.Context) error {
	for {
		select {
		case m := <-b.events:
			if m.Method == "Page.loadEventFired" && m.SessionID == b.session {
				return nil
			}
		case <-b.done:
			return errors.New("cdp: browser closed the pipe")
		case <-ctx.Done():
			return fmt.Errorf("cdp: waiting for a page load: %w", ctx.Err())
		}
	}
}

// eval runs a JavaScript expression in the page and returns its value.
func (b *browser) eval(ctx context.Context, expr string) (any, error) {
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := b.call(ctx, b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r); err != nil {
		return nil, err
	}
	if r.ExceptionDetails != nil {
		return nil, fmt.Errorf("cdp: %s: %s", expr, r.ExceptionDetails.Text)
	}
	return r.Result.Value, nil
}

// page is what the test reads of a loaded page.
type page struct {
	URL  string
	Text string // document.body.innerText
}

// current reads the page as it is now, and takes a screenshot if asked.
func (b *browser) current(ctx context.Context, name string) page {
	b.t.Helper()
	v, err := b.eval(ctx, `JSON.stringify({url: location.href, text: document.body ? document.body.innerText : ""})`)
	if err != nil {
		b.t.Fatal(err)
	}
	var p page
	s, _ := v.(string)
	var raw struct{ URL, Text string }
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		b.t.Fatalf("page state %q: %v", s, err)
	}
	p.URL, p.Text = raw.URL, raw.Text
	b.screenshot(ctx, name)
	return p
}

// navigate opens url and waits for it to load.
func (b *browser) navigate(name, url string) page {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cdpTimeout)
	defer cancel()
	b.drainEvents()
	var r struct {
		ErrorText string `json:"errorText"`
	}
	if err := b.call(ctx, b.session, "Page.navigate", map[string]any{"url": url}, &r); err != nil {
		b.t.Fatal(err)
	}
	if r.ErrorText != "" {
		b.t.Fatalf("navigate %s: %s", url, r.ErrorText)
	}
	if err := b.waitLoad(ctx); err != nil {
		b.t.Fatal(err)
	}
	return b.current(ctx, name)
}

// act runs JavaScript that navigates (submits a form) and waits for the
// resulting page to load.
func (b *browser) act(name, js string) page {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cdpTimeout)
	defer cancel()
	b.drainEvents()
	if _, err := b.eval(ctx, js); err != nil {
		b.t.Fatal(err)
	}
	if err := b.waitLoad(ctx); err != nil {
		b.t.Fatal(err)
	}
	return b.current(ctx, name)
}

// deleteCookie removes the browser's cookie name for url (HttpOnly cookies
// too, which page scripts cannot touch), as when a browser session ends or
// the user clears one cookie.
func (b *browser) deleteCookie(name, url string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cdpTimeout)
	defer cancel()
	if err := b.call(ctx, b.session, "Network.deleteCookies", map[string]any{"name": name, "url": url}, nil); err != nil {
		b.t.Fatal(err)
	}
}

// cookieNames returns the names of the browser's cookies for url.
func (b *browser) cookieNames(url string) []string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cdpTimeout)
	defer cancel()
	var r struct {
		Cookies []struct {
			Name string `json:"name"`
		} `json:"cookies"`
	}
	if err := b.call(ctx, b.session, "Network.getCookies", map[string]any{"urls": []string{url}}, &r); err != nil {
		b.t.Fatal(err)
	}
	var names []string
	for _, c := range r.Cookies {
		names = append(names, c.Name)
	}
	return names
}

// screenshot writes a PNG of the page to $FLASKCOOKIE_SCREENSHOTS, if set.
func (b *browser) screenshot(ctx context.Context, name string) {
	dir := os.Getenv(screenshotEnv)
	if dir == "" {
		return
	}
	var r struct {
		Data string `json:"data"`
	}
	if err := b.call(ctx, b.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		b.t.Errorf("screenshot: %v", err)
		return
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		b.t.Errorf("screenshot: %v", err)
		return
	}
	b.shots++
	file := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", b.shots, strings.ReplaceAll(name, " ", "-")))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Errorf("screenshot: %v", err)
	}
}
