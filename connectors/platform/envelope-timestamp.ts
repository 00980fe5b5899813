import { DateTime } from 'luxon';

import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';
import type { EnvelopeSpec, Profile } from './profile-schema.js';

/** Format name meaning milliseconds since the Unix epoch, as decimal digits. */
export const EPOCH_MILLIS_FORMAT = 'epochMillis';

type TimestampSpec = EnvelopeSpec['timestamp'];

/** Writes the envelope timestamp in the profile's format and time zone. */
export function formatEnvelopeTimestamp(spec: TimestampSpec, now: Date): string {
  if (spec.format === EPOCH_MILLIS_FORMAT) return String(now.getTime());

  const local = DateTime.fromJSDate(now, { zone: spec.zone });
  if (!local.isValid) {
    throw new OwhError(
      'config',
      bi(
        `平台配置 envelope.timestamp.zone 的时区 "${spec.zone}" 无效（${local.invalidExplanation ?? local.invalidReason}）。请使用 IANA 时区名，如 Asia/Shanghai。`,
        `profile envelope.timestamp.zone "${spec.zone}" is not a valid time zone (${local.invalidExplanation ?? local.invalidReason}). Use an IANA zone name such as Asia/Shanghai.`,
      ),
    );
  }
  return local.toFormat(spec.format);
}

/**
 * Reads an envelope timestamp written in the profile's format and zone.
 * Returns undefined when the text does not match the format, so the caller
 * can report its own error.
 */
export function parseEnvelopeTimestamp(profile: Pick<Profile, 'envelope'>, text: string): Date | undefined {
  const spec = profile.envelope.timestamp;

  if (spec.format === EPOCH_MILLIS_FORMAT) {
    if (!/^\d{1,15}$/.test(text)) return undefined;
    return new Date(Number(text));
  }

  const parsed = DateTime.fromFormat(text, spec.format, { zone: spec.zone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
