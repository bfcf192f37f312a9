package emailtest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From   string      // MAIL FROM address (the envelope sender)
	To     []string    // RCPT TO addresses, in order
	Data   []byte      // the message as received, CRLF line endings
	Header mail.Header // Data's header, parsed with net/mail
	Helo   string      // the name the client gave in EHLO/HELO
	User   string      // the AUTH username; empty when the client did not authenticate
	TLS    bool        // whether the session was encrypted (STARTTLS or implicit TLS)
}

// Option configures a Server.
type Option func(*options)

type options struct {
	user, pass   string
	requireAuth  bool
	mechs        []string
	startTLS     bool
	implicitTLS  bool
	rejectSender *smtp.SMTPError
	rejectRcpt   map[string]*smtp.SMTPError
	rejectData   *smtp.SMTPError
}

// RequireAuth makes the server offer AUTH PLAIN (also without TLS), accept
// only username/password, and answer MAIL FROM with 530 5.7.0 until the
// client has authenticated. Wrong credentials get 535 5.7.8. Without this option
// the server offers no AUTH at all.
func RequireAuth(username, password string) Option {
	return func(o *options) {
		o.requireAuth = true
		o.user, o.pass = username, password
	}
}

// AuthMechanisms sets the SASL mechanisms RequireAuth offers, of "PLAIN"
// (the default) and "LOGIN", e.g. AuthMechanisms("LOGIN") to act like a
// server that offers only LOGIN.
func AuthMechanisms(mechs ...string) Option {
	return func(o *options) { o.mechs = mechs }
}

// WithSTARTTLS makes the server offer STARTTLS with a self-signed
// certificate for 127.0.0.1 and localhost; see Server.CAFile.
func WithSTARTTLS() Option { return func(o *options) { o.startTLS = true } }

// WithImplicitTLS makes the server speak TLS from the first byte (SMTPS,
// as on port 465) with a self-signed certificate; see Server.CAFile.
func WithImplicitTLS() Option { return func(o *options) { o.implicitTLS = true } }

// RejectSender answers every MAIL FROM with code and message. A message
// that starts with an enhanced status code ("5.7.1 sender not allowed")
// sends that code; otherwise the server sends class.0.0.
func RejectSender(code int, message string) Option {
	return func(o *options) { o.rejectSender = reply(code, message) }
}

// RejectRecipient answers RCPT TO addr (compared case-insensitively; "*"
// for every recipient) with code and message, e.g. 550 "5.1.1 no such
// user" or 451 "4.3.0 try again later".
func RejectRecipient(addr string, code int, message string) Option {
	return func(o *options) {
		if o.rejectRcpt == nil {
			o.rejectRcpt = map[string]*smtp.SMTPError{}
		}
		o.rejectRcpt[strings.ToLower(addr)] = reply(code, message)
	}
}

// RejectData answers the end of DATA with code and message, after reading
// the whole message (e.g. 552 "5.3.4 message too big", 554 "5.7.1 spam").
func RejectData(code int, message string) Option {
	return func(o *options) { o.rejectData = reply(code, message) }
}

func reply(code int, message string) *smtp.SMTPError {
	e := &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: message}
	if enh, rest, ok := strings.Cut(message, " "); ok {
		parts := strings.Split(enh, ".")
		if len(parts) == 3 {
			var ec smtp.EnhancedCode
			valid := true
			for i, p := range parts {
				n, err := strconv.Atoi(p)
				if err != nil {
					valid = false
					break
				}
				ec[i] = n
			}
			if valid {
				e.EnhancedCode, e.Message = ec, rest
			}
		}
	}
	return e
}

// Server is a running test SMTP server. It stops when the test ends.
type Server struct {
	opts    options
	host    string
	port    int
	certPEM []byte
	caFile  string

	mu    sync.Mutex
	msgs  []Received
	conns []*smtp.Conn // every connection accepted, in order
}

// Start starts a server on 127.0.0.1 with a random port and stops it in
// t.Cleanup. It fails the test if the server cannot start.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{}
	for _, o := range opts {
		o(&s.opts)
	}

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "emailtest.localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ErrorLog = log.New(io.Discard, "", 0)

	var tlsConf *tls.Config
	if s.opts.startTLS || s.opts.implicitTLS {
		cert, certPEM, err := selfSigned()
		if err != nil {
			t.Fatalf("emailtest: make certificate: %v", err)
		}
		s.certPEM = certPEM
		s.caFile = filepath.Join(t.TempDir(), "emailtest-ca.pem")
		if err := os.WriteFile(s.caFile, certPEM, 0o600); err != nil {
			t.Fatalf("emailtest: write CA file: %v", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if s.opts.startTLS {
		srv.TLSConfig = tlsConf
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("emailtest: listen: %v", err)
	}
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		t.Fatalf("emailtest: listener address %v is not TCP", l.Addr())
	}
	s.host, s.port = addr.IP.String(), addr.Port
	if s.opts.implicitTLS {
		l = tls.NewListener(l, tlsConf)
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		// Close cuts every connection at once: a sender keeps its
		// connections open between messages (there is no session to wait
		// for), and the test has checked what it sent by now.
		_ = srv.Close()
		// Serve may not have registered l with srv yet; closing it here
		// makes its Accept fail either way.
		_ = l.Close()
		if err := <-done; err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("emailtest: serve: %v", err)
		}
	})
	return s
}

// Host is the server's IP address (127.0.0.1).
func (s *Server) Host() string { return s.host }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.port }

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// CertPEM is the server's self-signed certificate in PEM form, nil
// without a TLS option. A client that trusts it as a root CA can verify
// the server as 127.0.0.1 or localhost.
func (s *Server) CertPEM() []byte { return bytes.Clone(s.certPEM) }

// CAFile is the path of a file (in the test's temporary directory) holding
// CertPEM, for a client configured with a CA bundle path; empty without a
// TLS option.
func (s *Server) CAFile() string { return s.caFile }

// Messages returns the messages accepted so far, oldest first. A message
// is recorded before the server answers the end of DATA, so it is listed
// as soon as the client's send has returned.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	copy(out, s.msgs)
	return out
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, r)
}

// Connections is how many connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// DropConnections closes every connection accepted so far, as a relay
// does with connections it finds idle too long.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := slices.Clone(s.conns)
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Conn().Close()
	}
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	if !slices.Contains(s.conns, c) { // STARTTLS starts a new session on the same connection
		s.conns = append(s.conns, c)
	}
	s.mu.Unlock()
	return &session{srv: s, conn: c}, nil
}

// session is one SMTP session; go-smtp calls it from one goroutine.
type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if !s.srv.opts.requireAuth {
		return nil
	}
	if len(s.srv.opts.mechs) > 0 {
		return s.srv.opts.mechs
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if !slices.Contains(s.AuthMechanisms(), mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	check := func(username, password string) error {
		if username != s.srv.opts.user || password != s.srv.opts.pass {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}
	if mech == sasl.Login {
		return &loginServer{check: check}, nil
	}
	return sasl.NewPlainServer(func(_, username, password string) error { return check(username, password) }), nil
}

// loginServer is the server side of the LOGIN mechanism
// (draft-murchison-sasl-login): it asks "Username:" then "Password:".
type loginServer struct {
	step  int
	user  string
	check func(username, password string) error
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if len(resp) > 0 { // the username as initial response
			l.user, l.step = string(resp), 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(resp))
	}
}

// errAuthRequired is RFC 4954's reply to MAIL FROM before AUTH (go-smtp's
// own ErrAuthRequired answers 502).
var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.requireAuth && s.user == "" {
		return errAuthRequired
	}
	if e := s.srv.opts.rejectSender; e != nil {
		return e
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e, ok := s.srv.opts.rejectRcpt[strings.ToLower(to)]; ok {
		return e
	}
	if e, ok := s.srv.opts.rejectRcpt["*"]; ok {
		return e
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read data: %w", err)
	}
	if e := s.srv.opts.rejectData; e != nil {
		return e
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "malformed message: " + err.Error()}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.record(Received{
		From:   s.from,
		To:     append([]string(nil), s.to...),
		Data:   data,
		Header: msg.Header,
		Helo:   s.conn.Hostname(),
		User:   s.user,
		TLS:    isTLS,
	})
	return nil
}

func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

func (s *session) Logout() error { return nil }
