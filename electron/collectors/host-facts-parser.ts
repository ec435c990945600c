/**
 * Parses the host facts script's output (hostname, os-release, uname) into HostFacts. Pure.
 */
import type { HostFacts } from '../../shared/model/index.js';
import { splitRecords } from './framing.js';

/** Host facts plus whether the script ran to its end. */
export interface ParsedHostFacts {
  facts: HostFacts;
  completed: boolean;
}

/** Reads the framed records of the host facts script. */
export function parseHostFacts(output: string, boundary: string): ParsedHostFacts {
  const values = new Map<string, string>();
  let completed = false;
  for (const record of splitRecords(output, boundary)) {
    if (record.tag === 'end') completed = true;
    else if (!values.has(record.tag)) values.set(record.tag, record.body);
  }
  const osRelease = parseOsRelease(values.get('os-release') ?? '');
  const kernelName = oneLine(values.get('kernel-name'));
  const os =
    osRelease.get('PRETTY_NAME') ||
    [osRelease.get('NAME'), osRelease.get('VERSION')].filter(Boolean).join(' ') ||
    kernelName ||
    'unknown';
  return {
    facts: {
      hostname: oneLine(values.get('hostname')) || 'unknown',
      os: oneLine(os),
      kernel: oneLine(values.get('kernel')) || 'unknown',
    },
    completed,
  };
}

/**
 * Parses os-release(5): `KEY=value` lines whose values follow shell quoting rules ("…" with
 * backslash escapes, '…' literal, or bare). Only assignments are read; nothing is evaluated.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').trim();
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    values.set(match[1]!, unquote(match[2]!));
  }
  return values;
}

function unquote(value: string): string {
  if (value.startsWith('"')) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const char = value[i]!;
      if (char === '"') break;
      if (char === '\\' && i + 1 < value.length && '"\\$`'.includes(value[i + 1]!)) {
        out += value[++i];
      } else out += char;
    }
    return out;
  }
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  return value;
}

/** Keeps the first line, trimmed and bounded: facts are labels, not documents. */
function oneLine(value: string | undefined): string {
  const line = (value ?? '').split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}
