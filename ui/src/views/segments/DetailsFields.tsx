import { Field } from '../measurement/fields'

interface Props {
  name: string
  description: string
  onName: (v: string) => void
  onDescription: (v: string) => void
  errors: { name?: string | undefined; description?: string | undefined }
}

/** The segment's name (unique) and what it is for. */
export function DetailsFields({ name, description, onName, onDescription, errors }: Props) {
  return (
    <div className="seg-row">
      <Field label="Name" error={errors.name} className="m-grow">
        {(a) => <input {...a} type="text" autoComplete="off" value={name} placeholder="Recent buyers" onChange={(e) => onName(e.target.value)} />}
      </Field>
      <Field label="Description (optional)" error={errors.description} className="m-grow">
        {(a) => (
          <input
            {...a}
            type="text"
            autoComplete="off"
            value={description}
            placeholder="Bought in the last 30 days; for the cross-sell journey"
            onChange={(e) => onDescription(e.target.value)}
          />
        )}
      </Field>
    </div>
  )
}
