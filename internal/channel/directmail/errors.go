package directmail

import "errors"

// Codes of the permanent failures Send returns (channel.Error.Code).
const (
	// CodeNoPostalAddress: the message carries no usable postal address.
	CodeNoPostalAddress = "no_postal_address"
	// CodeNoKey: the message has no send key, so it cannot be deduplicated
	// nor matched to the vendor's confirmation.
	CodeNoKey = "no_send_key"
)

var (
	// ErrNoPostalAddress is wrapped by the permanent failure of a message
	// without a postal address.
	ErrNoPostalAddress = errors.New("the message has no postal address (address.line1 and address.city or address.postal_code)")
	// ErrNoKey is wrapped by the permanent failure of a message without a
	// send key.
	ErrNoKey = errors.New("the message has no send key")
	// ErrDirInUse is returned by New while another Sender holds the
	// directory.
	ErrDirInUse = errors.New("the batch directory is in use by another sender")
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("the direct-mail sender is closed")
	// ErrBadRow is matched (errors.Is) by each row error ParseConfirmations
	// reports.
	ErrBadRow = errors.New("bad confirmation row")
)
