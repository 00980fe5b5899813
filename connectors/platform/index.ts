// Public entry of connectors/platform: other folders import from here only.

// Signing, keys and the envelope.
export { type Signer, type Verifier, createSigner, createVerifier } from './signer.js';
export { type Sm2SignOptions, computeSm2Digest, computeSm2Z, sm2Options, sm2SignRaw, sm2VerifyRaw } from './sm2-signer.js';
export { type SignatureEncoding, decodeSignature, derToRaw, encodeSignature, rawToDer } from './signature-codec.js';
export {
  type KeyAlgorithm,
  type PrivateKeyMaterial,
  type PublicKeyMaterial,
  type RsaPrivateKeyMaterial,
  type RsaPublicKeyMaterial,
  type Sm2PrivateKeyMaterial,
  type Sm2PublicKeyMaterial,
  assertPrivateFileMode,
  loadPrivateKey,
  loadPublicKey,
  parsePrivateKey,
  parsePublicKey,
  publicKeyOf,
} from './key-files.js';
export {
  type PublicKeyForms,
  renderPublicKeyForms,
  renderPublicKeySpkiBase64,
  renderPublicKeySpkiPem,
  renderSm2PublicKeyHex,
} from './public-key-forms.js';
export { type GeneratedKeyFiles, generatePrivateKeyPem, writeKeyPairFiles } from './key-generation.js';
export {
  type BuildEnvelopeArgs,
  type BuiltEnvelope,
  type EnvelopeErrorReason,
  type EnvelopeParts,
  type EnvelopeProfile,
  EnvelopeError,
  buildEnvelope,
  computeSignInput,
  parseEnvelope,
  parseEnvelopeTimestamp,
  verifyEnvelope,
} from './envelope.js';
export { EPOCH_MILLIS_FORMAT, formatEnvelopeTimestamp } from './envelope-timestamp.js';

// Profile, payload validation and canonical JSON.
export { DEFAULT_PROFILE_PATH, type LoadProfileOptions, loadProfile } from './profile-loader.js';
export { type PayloadValidator, buildPayloadValidator } from './payload-validator.js';
export { type ProblemCode, codePointLength } from './field-checks.js';
export { type FormatFailure, checkUscc, computeUsccCheckChar, describeFormat, formatCheck, isValidUscc } from './formats.js';
export { canonicalJson, contentHash } from './canonical-json.js';
