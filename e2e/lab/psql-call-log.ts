/** Where the database container's psql wrapper (litellm-postgres.ts) appends each call: argv, whether PGPASSWORD was set (never its value), the SQL. */
export const PSQL_CALL_LOG = '/var/log/psql-calls.log';
