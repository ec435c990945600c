/**
 * The supply-chain register as a report carries it: one row per AI component the scan found
 * (gateway, router, model server, agent app), where it came from and who published it, what depends on it,
 * and the trust level and notes its owner keeps in the case. Derived from the report by
 * `shared/present/supply-chain-register.ts`; the app's exports add it, a bare scan has none.
 */
import { z } from 'zod';

/** How far the owner trusts a component: kept in the case; absent (unset) until they say. */
export const TRUST_LEVELS = ['trusted', 'review', 'distrusted'] as const;
/** The schema of a trust level. */
export const trustLevelSchema = z.enum(TRUST_LEVELS).meta({
  id: 'TrustLevel',
  description: '`trusted` (the owner vouches for its source), `review` (to be looked at), `distrusted` (replace or remove it).',
});
/** How far the owner trusts a component. */
export type TrustLevel = z.infer<typeof trustLevelSchema>;

/** The roles a register row can have. */
export const REGISTER_ROLES = ['gateway', 'router', 'model-server', 'agent-app'] as const;

/** The schema of one register row. */
export const registerRowSchema = z
  .object({
    id: z.string().describe('Stable across scans: the gateway finding id, `model-server:<host>/<container or ->`, or `agent-app:<host>/<name>`, `router:<host>/<container or -><site folder>/<distribution>`; owner annotations are kept by it.'),
    role: z.enum(REGISTER_ROLES).describe('`gateway` (routes prompts and holds keys), `router` (a gateway or router distribution installed where no service of it was found), `model-server` (where a route ends), `agent-app` (sends requests to a gateway).'),
    kind: z.string().describe('`litellm`, `ollama`, `open-webui`…: what it is.'),
    name: z.string().describe('The container, unit or host name.'),
    host: z.string(),
    container: z.string().nullable(),
    installedBy: z.string().describe('`image`, `pip`, `uv`, `uv tool`, `pipx`, `conda`, `venv`, `system package` or `unknown`: how it was installed, from evidence.'),
    installEvidence: z.array(z.string()).describe('What says so: the image reference, the INSTALLER file, the `pyvenv.cfg` or `conda-meta` marker, image history steps.'),
    version: z.string().nullable().describe('Its version: the main distribution in it, else the image label or tag; null when nothing says.'),
    pinning: z
      .enum(['digest', 'hash', 'tag', 'version', 'none', 'unknown'])
      .describe('`digest` (image by content), `hash` (hash-checked install in the image history), `tag` (a tag a re-pull can move), `version` (an exact version installed, no pin file read), `none`, `unknown`.'),
    pinningDetail: z.string().describe('The pin as evidence: the digest, the tag, the install step.'),
    source: z.string().nullable().describe('The registry host an image came from (`ghcr.io`, `docker.io`…), or the package index when known; null when not read.'),
    publisher: z
      .array(z.string())
      .describe('Who published it, each with where it is written: image labels (`org.opencontainers.image.vendor` / `source`) and METADATA (`Author`, `Maintainer`, `Home-page`, `Project-URL`). Self-declared.'),
    consumers: z.array(z.string()).describe('What depends on it: the consumers of a gateway, the gateways routing to a model server (`name on host`).'),
    uses: z.array(z.string()).describe('What it sends requests to (an agent app: its gateway).'),
    keys: z.array(z.string()).describe('Fingerprints of the keys held where it runs (never a value).'),
    trust: trustLevelSchema.nullable().describe("The owner's trust level; null while unset."),
    note: z.string().describe("The owner's notes (secrets replaced by fingerprints); empty when none."),
    annotatedAt: z.string().nullable().describe('When the owner last set its trust or notes; null when never.'),
  })
  .meta({ id: 'RegisterRow', description: 'One AI component of the supply-chain register, with its provenance, blast radius and the owner’s trust and notes.' });
/** One AI component of the supply-chain register. */
export type RegisterRow = z.infer<typeof registerRowSchema>;
