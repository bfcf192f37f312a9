// Rejection reasons (docs/ingest.md, "Rejection reasons") in words.

const REASONS: Record<string, string> = {
  invalid_json_type: 'A field has the wrong type (e.g. properties that is not an object)',
  missing_type: 'The event has no type',
  bad_type: 'The type is not identify, track, page, screen, group or alias',
  missing_identifier: 'Neither a userId nor an anonymousId',
  missing_event: 'A track call without an event name',
  missing_group_id: 'A group call without a groupId',
  missing_user_id: 'An alias call without a userId',
  missing_previous_id: 'An alias call without a previousId',
  bad_timestamp: 'A timestamp is not a valid date and time',
  bad_message_id: 'The messageId is longer than 255 bytes',
  event_too_large: 'The event is larger than the 32 KiB limit',
  unsupported_unicode: 'The text holds characters that cannot be stored',
  erased_subject: 'The event is about a person who was erased',
}

/** The reason code as a sentence; unknown codes as they are. */
export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason
}
