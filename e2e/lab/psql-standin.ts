/**
 * The LiteLLM database container's `psql` stand-in (psql-standin.sh) and the rows it replays: what
 * `psql -X -A -t -q` prints for the virtual-key query, one jsonb::text row a line (jsonb orders keys
 * by length, then bytes). open-webui's key is stored as LiteLLM stores it (sha256 hex of the key,
 * `sk-...` + its last 4); the second key is one that nothing in the lab holds.
 */
import { readFileSync } from 'node:fs';

/** The stand-in script, installed as /usr/bin/psql in the database container. */
export const PSQL_STANDIN = readFileSync(new URL('./psql-standin.sh', import.meta.url), 'utf8');

/** Where the stand-in appends each call (argv, whether PGPASSWORD was set, the SQL), inside the container. */
export const PSQL_STANDIN_LOG = '/var/log/psql-standin.log';

/** Where it reads the rows it prints, inside the container. */
export const PSQL_STANDIN_ROWS = '/usr/lib/blast-radius-lab/psql/verification-token.rows';

/** The virtual keys in the lab's LiteLLM database: open-webui's (planted), and one no one in the lab holds. */
export const LAB_VIRTUAL_KEYS = [
  { alias: 'open-webui', models: ['gpt-4o', 'claude'], heldBy: 'open-webui' },
  { alias: 'ci-batch', models: ['llama3'], heldBy: null },
] as const;

/** The rows, with tokens the planter substitutes (the hash and last 4 of the planted virtual key). */
export const PSQL_STANDIN_ROWS_TEXT = [
  '{"kind": "tables", "br_mcp": false, "br_spend": false, "br_models": false, "br_rotated": false, "br_spend_ip": false, "br_credentials": false}',
  '{"kind": "key", "token": "{{planted-sha256:litellm-virtual}}", "models": ["gpt-4o", "claude"], "blocked": null, "expires": null, "team_id": null, "user_id": "default_user_id", "key_name": "sk-...{{planted-last4:litellm-virtual}}", "key_alias": "open-webui"}',
  '{"kind": "key", "token": "6ab2dea06920dfcc4df3e8dc18da67660eca4ef8e80abc0d40f6e97b89cb96c9", "models": ["llama3"], "blocked": false, "expires": "2026-06-30T00:00:00", "team_id": "ci", "user_id": null, "key_name": "sk-...Wq7v", "key_alias": "ci-batch"}',
  '',
].join('\n');
