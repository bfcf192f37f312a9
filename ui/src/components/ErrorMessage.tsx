interface Props {
  message: string
  onRetry?: (() => void) | undefined
  id?: string
}

/** An API error shown where it happened, announced to screen readers. */
export function ErrorMessage({ message, onRetry, id }: Props) {
  return (
    <div className="error" role="alert" id={id}>
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}
