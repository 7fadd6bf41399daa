/**
 * Manifests: Kubernetes-style YAML (or JSON) documents `apiVersion: maintenance/v1`, `kind`, `metadata`, `spec`.
 * This file turns text into documents and reports problems with the file, the line and the field.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, isNode, type Document } from 'yaml';

/** The only API version we read and write. */
export const API_VERSION = 'maintenance/v1';
/** Kinds we know, each validated by its own schema in schema.ts. */
export const MANIFEST_KINDS = ['Preset', 'MaintenanceState', 'Policy', 'Schedule', 'Notifier'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/** A raw manifest document, before its spec is validated. */
export interface RawManifest {
  kind: ManifestKind;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** Where it came from, for messages. */
  file: string;
  /** Line of a field path (1-based), for messages naming the line. */
  lineOf(path: (string | number)[]): number;
}

/** One problem in a manifest: which file, which line, which field, and what is wrong. */
export interface ManifestProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** Thrown when a manifest cannot be used; nothing has been changed when it is thrown. */
export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManifestError';
  }
}

/** `file:line: field: message`, the form editors and CI logs understand. */
export function formatProblem(problem: ManifestProblem): string {
  const field = problem.field ? ` ${problem.field}:` : '';
  return `${problem.file}:${problem.line}:${field} ${problem.message}`;
}

/** Limits that keep a hostile document (alias bombs, huge inputs) from exhausting memory. */
const MAX_TEXT_BYTES = 1_000_000;
const MAX_ALIAS_COUNT = 100;
const MAX_DOCUMENTS = 1_000;

/** Parses every document of a YAML or JSON text; throws ManifestError listing every problem found. */
export function parseManifests(text: string, file: string): RawManifest[] {
  if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
    throw new ManifestError([{ file, line: 1, field: '', message: `is larger than ${MAX_TEXT_BYTES} bytes` }]);
  }
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(documents) ? documents : [documents];
  if (docs.length > MAX_DOCUMENTS) {
    throw new ManifestError([{ file, line: 1, field: '', message: `has more than ${MAX_DOCUMENTS} documents` }]);
  }
  const problems: ManifestProblem[] = [];
  const manifests: RawManifest[] = [];
  for (const doc of docs) {
    const manifest = readDocument(doc, file, lineCounter, problems);
    if (manifest) manifests.push(manifest);
  }
  if (problems.length > 0) throw new ManifestError(problems);
  if (manifests.length === 0) throw new ManifestError([{ file, line: 1, field: '', message: 'holds no manifest' }]);
  return manifests;
}

function readDocument(doc: Document, file: string, counter: LineCounter, problems: ManifestProblem[]): RawManifest | null {
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const error of doc.errors) {
    problems.push({ file, line: lineAt(error.pos[0]), field: '', message: `invalid YAML: ${firstLine(error.message)}` });
  }
  if (doc.errors.length > 0) return null;
  if (doc.contents === null) return null; // an empty document between separators
  const lineOf = (path: (string | number)[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return lineAt(doc.contents?.range?.[0]);
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    problems.push({ file, line: lineOf([]), field: '', message: `invalid YAML: ${firstLine((error as Error).message)}` });
    return null;
  }
  const fail = (path: string[], message: string) => problems.push({ file, line: lineOf(path), field: path.join('.'), message });
  if (!isMap(doc.contents) || !isPlainObject(value)) {
    fail([], `a manifest must be a mapping, not ${isSeq(doc.contents) ? 'a list' : typeof value}`);
    return null;
  }
  const before = problems.length;
  if (value.apiVersion !== API_VERSION) fail(['apiVersion'], `must be "${API_VERSION}", got ${describe(value.apiVersion)}`);
  if (!MANIFEST_KINDS.includes(value.kind as ManifestKind)) {
    fail(['kind'], `must be one of ${MANIFEST_KINDS.join(', ')}, got ${describe(value.kind)}`);
  }
  const metadata = value.metadata ?? {};
  if (!isPlainObject(metadata)) fail(['metadata'], 'must be a mapping');
  if (!isPlainObject(value.spec)) fail(['spec'], 'is required and must be a mapping');
  for (const key of Object.keys(value)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) fail([key], 'is not a known field');
  }
  if (problems.length > before) return null;
  return {
    kind: value.kind as ManifestKind,
    metadata: metadata as Record<string, unknown>,
    spec: value.spec as Record<string, unknown>,
    file,
    lineOf,
  };
}

/** True for `{...}` values (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}...` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : String(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
