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

// Sender delivers email over SMTP: one connection per message, TLS as
// configured, AUTH when credentials are set, DKIM-signed when a key is
// configured. It is safe for concurrent use.
type Sender struct {
	cfg    Config
	addr   string // host:port
	tls    *tls.Config
	dkim   *dkim.SignOptions // nil: no signing
	clock  clock.Clock
	logger *slog.Logger
	dialer net.Dialer
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
// reply.
func (s *Sender) deliver(ctx context.Context, b built) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(s.cfg.Timeout))
	defer cancel()

	conn, err := s.dialer.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		if ctx.Err() == nil { // the relay could not be reached: hold, don't fail, the message
			err = fmt.Errorf("%w: %w", channel.ErrUnavailable, err)
		}
		return "", classify(ctx, stageConnect, s.addr, err)
	}
	defer conn.Close()
	// The conversation may not outlive ctx: the deadline bounds every
	// read and write, and cancellation closes the connection.
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	var c net.Conn = conn
	if s.cfg.TLS == TLSImplicit {
		tc := tls.Client(conn, s.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			return "", classify(ctx, stageTLS, s.addr, err)
		}
		c = tc
	}
	client, err := smtp.NewClient(c, s.cfg.Host)
	if err != nil {
		return "", classify(ctx, stageGreeting, s.addr, err)
	}
	defer client.Close()
	if err := client.Hello(s.cfg.HeloName); err != nil {
		return "", classify(ctx, stageHello, s.addr, err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return "", channel.Temporary("", fmt.Errorf(
				"smtp server %s does not offer STARTTLS: %w; set tls to \"tls\" if it expects TLS from the start (port 465), or \"none\" for a trusted local relay",
				s.addr, ErrTLS))
		}
		if err := client.StartTLS(s.tls); err != nil {
			return "", classify(ctx, stageTLS, s.addr, err)
		}
	}
	if s.cfg.Username != "" {
		if err := s.auth(ctx, client); err != nil {
			return "", err
		}
	}
	if err := client.Mail("<" + s.cfg.EnvelopeFrom + ">"); err != nil {
		return "", classify(ctx, stageMail, s.addr, err)
	}
	if err := client.Rcpt("<" + b.rcpt + ">"); err != nil {
		return "", classify(ctx, stageRcpt, s.addr, err)
	}
	w, err := client.Data()
	if err != nil {
		return "", classify(ctx, stageData, s.addr, err)
	}
	if _, err := w.Write(b.data); err != nil {
		return "", classify(ctx, stageData, s.addr, err)
	}
	if err := w.Close(); err != nil {
		return "", classify(ctx, stageDeliver, s.addr, err)
	}
	reply := "250"
	if dc, ok := w.(*smtp.DataCloser); ok && dc.ServerResponse() != "" {
		reply += " " + dc.ServerResponse()
	}
	// The message is queued; a failing QUIT changes nothing.
	_ = client.Quit()
	return reply, nil
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
