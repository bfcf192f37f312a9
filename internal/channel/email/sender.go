package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/wneessen/go-mail/smtp"

	"github.com/cairn-cdp/cairn/internal/channel"
	"github.com/cairn-cdp/cairn/internal/clock"
)

// Sender delivers email over SMTP: TLS as configured, AUTH when
// credentials are set, DKIM-signed when a key is configured. A connection
// stays open after a message for the next one (sessions.go), so a message
// costs MAIL, RCPT and DATA rather than a connection, a TLS handshake,
// EHLO and AUTH too. It is safe for concurrent use; Close hangs up.
type Sender struct {
	cfg    Config
	addr   string // host:port
	tls    *tls.Config
	dkim   *dkim.SignOptions // nil: no signing
	clock  clock.Clock
	logger *slog.Logger
	dialer net.Dialer
	idle   idleSessions
}

// Option configures a Sender.
type Option func(*Sender)

// WithClock sets the clock that dates messages (the Date header); the
// default is clock.Real.
func WithClock(c clock.Clock) Option { return func(s *Sender) { s.clock = c } }

// New validates cfg and returns a Sender. A nil logger discards.
func New(cfg Config, logger *slog.Logger, opts ...Option) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("email config: %w", err)
	}
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Sender{
		cfg:    cfg,
		addr:   net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		clock:  clock.Real{},
		logger: logger,
		tls:    &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12},
	}
	for _, o := range opts {
		o(s)
	}
	if cfg.CAFile != "" {
		pool, err := loadCAFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("email config: ca_file: %w", err)
		}
		s.tls.RootCAs = pool
	}
	var err error
	if s.dkim, err = newDKIMOptions(cfg.DKIM); err != nil {
		return nil, fmt.Errorf("email config: %w", err)
	}
	if d := cfg.DKIM.Domain; d != "" && !aligned(domainOf(cfg.From), d) {
		logger.Warn("dkim domain does not align with the from domain; DMARC will not pass on this signature",
			slog.String("from_domain", domainOf(cfg.From)), slog.String("dkim_domain", d))
	}
	return s, nil
}

// aligned tells whether fromDomain is dkimDomain or under it (DMARC
// relaxed alignment, without the public-suffix lookup).
func aligned(fromDomain, dkimDomain string) bool {
	f, d := strings.ToLower(fromDomain), strings.ToLower(dkimDomain)
	return f == d || strings.HasSuffix(f, "."+d)
}

// Build returns the message Send would deliver for m, dated by the
// Sender's clock and DKIM-signed when configured: for previews and tests.
func (s *Sender) Build(m channel.Message) ([]byte, error) {
	b, err := s.build(m, s.clock.Now())
	if err != nil {
		return nil, fmt.Errorf("build email %s: %w", m.Key, err)
	}
	return b.data, nil
}

// Send delivers m to m.To. The Receipt's ProviderID is the Message-ID
// (see MessageID), its Detail the server's reply to the end of DATA.
// Errors are *channel.Error; see classify for which are permanent, and
// IsConfigError for the ones that concern every message.
func (s *Sender) Send(ctx context.Context, m channel.Message) (channel.Receipt, error) {
	b, err := s.build(m, s.clock.Now())
	if err != nil {
		return channel.Receipt{}, channel.Permanent(CodeInvalidMessage, fmt.Errorf("build email %s: %w", m.Key, err))
	}
	reply, err := s.deliver(ctx, b)
	if err != nil {
		level := slog.LevelDebug
		if IsConfigError(err) {
			level = slog.LevelError
		}
		s.logger.Log(ctx, level, "email not sent",
			slog.String("key", m.Key), slog.String("profile_id", m.ProfileID),
			slog.String("server", s.addr), slog.Any("error", err))
		return channel.Receipt{}, err
	}
	s.logger.Debug("email sent",
		slog.String("key", m.Key), slog.String("profile_id", m.ProfileID),
		slog.String("message_id", b.messageID), slog.String("reply", reply))
	return channel.Receipt{ProviderID: b.messageID, Status: "sent", Detail: reply}, nil
}

// deliver runs one SMTP transaction for b and returns the server's final
// reply: on a kept connection when one is idle, else on a new one. MAIL
// failing on a kept connection (the server closed it while idle, or
// refuses this sender: a new connection tells which) moves to a new
// connection; no message was accepted before MAIL, so nothing is sent
// twice. Any other failure ends the attempt as before.
func (s *Sender) deliver(ctx context.Context, b built) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(s.cfg.Timeout))
	defer cancel()
	for {
		ss := s.idle.take(time.Now())
		if ss == nil {
			break
		}
		reply, stage, err := s.transact(ctx, ss, b)
		if err == nil {
			return reply, nil
		}
		if stage != stageMail || ctx.Err() != nil {
			return "", err
		}
		s.logger.Debug("a kept smtp connection failed at MAIL; opening a new one", slog.String("server", s.addr), slog.Any("error", err))
	}
	ss, err := s.open(ctx)
	if err != nil {
		return "", err
	}
	reply, _, err := s.transact(ctx, ss, b)
	return reply, err
}

// open connects, greets, starts TLS and authenticates as configured.
func (s *Sender) open(ctx context.Context) (*session, error) {
	conn, err := s.dialer.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		if ctx.Err() == nil { // the relay could not be reached: hold, don't fail, the message
			err = fmt.Errorf("%w: %w", channel.ErrUnavailable, err)
		}
		return nil, classify(ctx, stageConnect, s.addr, err)
	}
	ss := &session{conn: conn}
	// The conversation may not outlive ctx: the deadline bounds every
	// read and write, and cancellation closes the connection.
	done := ss.bind(ctx)
	ok := false
	defer func() {
		done()
		if !ok {
			ss.close()
		}
	}()
	if s.cfg.TLS == TLSImplicit {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, classify(ctx, stageTLS, s.addr, err)
		}
		ss.conn = tc
	}
	client, err := smtp.NewClient(ss.conn, s.cfg.Host)
	if err != nil {
		return nil, classify(ctx, stageGreeting, s.addr, err)
	}
	ss.client = client
	if err := client.Hello(s.cfg.HeloName); err != nil {
		return nil, classify(ctx, stageHello, s.addr, err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return nil, channel.Temporary("", fmt.Errorf(
				"smtp server %s does not offer STARTTLS: %w; set tls to \"tls\" if it expects TLS from the start (port 465), or \"none\" for a trusted local relay",
				s.addr, ErrTLS))
		}
		if err := client.StartTLS(s.tls); err != nil {
			return nil, classify(ctx, stageTLS, s.addr, err)
		}
	}
	if s.cfg.Username != "" {
		if err := s.auth(ctx, client); err != nil {
			return nil, err
		}
	}
	ok = true
	return ss, nil
}

// transact sends b on ss and returns the reply, or the stage that failed
// and its error. ss goes back to the idle sessions after a message, and
// is closed after a failure (a transaction cut short leaves the
// connection in no known state).
func (s *Sender) transact(ctx context.Context, ss *session, b built) (reply string, failed stage, err error) {
	done := ss.bind(ctx)
	defer func() {
		if done() && err == nil {
			s.idle.put(ss, time.Now())
			return
		}
		ss.close()
	}()
	client := ss.client
	if err := client.Mail("<" + s.cfg.EnvelopeFrom + ">"); err != nil {
		return "", stageMail, classify(ctx, stageMail, s.addr, err)
	}
	if err := client.Rcpt("<" + b.rcpt + ">"); err != nil {
		return "", stageRcpt, classify(ctx, stageRcpt, s.addr, err)
	}
	w, err := client.Data()
	if err != nil {
		return "", stageData, classify(ctx, stageData, s.addr, err)
	}
	if _, err := w.Write(b.data); err != nil {
		return "", stageData, classify(ctx, stageData, s.addr, err)
	}
	if err := w.Close(); err != nil {
		return "", stageDeliver, classify(ctx, stageDeliver, s.addr, err)
	}
	ss.sent++
	reply = "250"
	if dc, ok := w.(*smtp.DataCloser); ok && dc.ServerResponse() != "" {
		reply += " " + dc.ServerResponse()
	}
	return reply, "", nil
}

// auth authenticates with PLAIN, or LOGIN when the server offers only that.
func (s *Sender) auth(ctx context.Context, client *smtp.Client) error {
	ok, mechs := client.Extension("AUTH")
	if !ok {
		return channel.Permanent("", fmt.Errorf(
			"smtp server %s does not offer AUTH although username is set: %w; check host, port and tls, or remove the credentials",
			s.addr, ErrAuth))
	}
	var a smtp.Auth
	switch offered := strings.Fields(strings.ToUpper(mechs)); {
	case slices.Contains(offered, "PLAIN"):
		a = smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host, false)
	case slices.Contains(offered, "LOGIN"):
		a = smtp.LoginAuth(s.cfg.Username, s.cfg.Password, s.cfg.Host, false)
	default:
		return channel.Permanent("", fmt.Errorf(
			"smtp server %s offers AUTH %s but Cairn speaks PLAIN and LOGIN: %w", s.addr, mechs, ErrAuth))
	}
	if err := client.Auth(a); err != nil {
		if errors.Is(err, smtp.ErrUnencrypted) || errors.Is(err, smtp.ErrWrongHostname) {
			return channel.Permanent("", fmt.Errorf("%s %s: %w: %w", stageAuth, s.addr, ErrAuth, err))
		}
		return classify(ctx, stageAuth, s.addr, err)
	}
	return nil
}

var _ channel.Sender = (*Sender)(nil)
