/**
 * fast-check arbitraries derived from an OpenAPI 3 document: every operation it lists becomes a generator
 * of requests (path and query parameters, headers, content types, bodies), each value drawn from the
 * schema the document gives, from a pool of names the server knows (so some requests get past
 * validation and reach the code behind it), or from a list of hostile values. Nothing here names a route:
 * a route added to the API is fuzzed the day it appears in the document.
 */
import fc from 'fast-check';

/** The parts of an OpenAPI document the generators read. */
export interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, Operation>>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A JSON schema as @nestjs/swagger writes it (the subset read here). */
export type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  example?: unknown;
  description?: string;
  nullable?: boolean;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
}

/** One documented operation. */
export interface Route {
  method: string;
  /** As the document writes it: `/api/v1/scenarios/{id}`. */
  path: string;
  operation: Operation;
}

/** Who sends a request: a role's token, no token, an unknown token, or a malformed Authorization header. */
export type Caller = 'admin' | 'operator' | 'viewer' | 'scenario' | 'none' | 'unknown' | 'malformed';

/** One generated request, as sent. */
export interface FuzzRequest {
  route: Route;
  method: string;
  /** Path and query, encoded. */
  target: string;
  caller: Caller;
  headers: Record<string, string>;
  body: string | null;
  /** Send the body in two chunks without Content-Length (Transfer-Encoding: chunked). */
  chunked: boolean;
}

/** What the generators need to know about the server under test. */
export interface FuzzContext {
  /** `127.0.0.1:port`: the Host a well-behaved client sends. */
  host: string;
  /** The secret of each role's token. */
  secrets: Record<'admin' | 'operator' | 'viewer' | 'scenario', string>;
  /** Strings the server knows (ids, names, endpoints, durations, examples of the document): the way past validation. */
  pool: string[];
  /** Ids and names of what exists (scenarios, presets, schedules, ...): path parameters favour them, to reach the handlers. */
  names: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every operation of the document, in its order. */
export function routesOf(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) routes.push({ method: method.toUpperCase(), path, operation });
    }
  }
  return routes;
}

/** Every string `example` the document gives: realistic values (durations, cron, endpoints) for the pool. */
export function documentExamples(document: OpenApiDocument): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' && typeof value === 'string') found.add(value);
      else walk(value);
    }
  };
  walk(document);
  return [...found];
}

/**
 * Strings that have broken parsers, routers and validators elsewhere: traversal, encodings, prototype
 * keys, huge and empty values, lone surrogates, regex and glob metacharacters.
 */
const HOSTILE_STRINGS = [
  '', ' ', '.', '..', '../../etc/passwd', '..\\..\\windows', '%', '%00', '%zz', '%2e%2e%2f', '\u0000', '\r\n', 'a'.repeat(10_000), '__proto__', 'constructor', 'prototype',
  'toString', 'hasOwnProperty', '{}', '[]', 'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '9007199254740993', '<script>alert(1)</script>', "' OR 1=1 --",
  '${jndi:ldap://x}', '*', '**', '?', '[a-', '(', '\\', '😀', '\uD800', '\u202E', 'ＡＢＣ', 'http://169.254.169.254/latest', 'file:///etc/passwd', 'http://[::1]:1',
  'http://127.0.0.1:1/x?y#z', '2h', '0s', '-1h', '99999999999d', '1ms', '* * * * *', '0 0 31 2 *', '2026-02-30T25:61', 'Mars/Olympus', 'UTC',
];

/** Values of any JSON type, for where a schema wants another. */
const HOSTILE_VALUES: unknown[] = [null, true, false, 0, -1, -0.5, 1e308, Number.MAX_SAFE_INTEGER + 2, '', [], {}, [null], { '': '' }, [[[[[]]]]], 'a'.repeat(5000)];

/** Raw bodies that are not what any schema describes: broken JSON, prototype pollution, deep nesting, scalars. */
const RAW_BODIES = [
  '', '{', '}', '{"a":', '[', 'null', 'true', '0', '"text"', '[]', '{}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}', `${'['.repeat(3000)}${']'.repeat(3000)}`, `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, '{"a":1e999999}', '\uFEFF{}', '{"a":"\\ud800"}',
  '\u0000', 'apiVersion: maintenance/v1\nkind: Preset\n', '--- !!js/function "function(){}"', 'a: &a [*a]', '<?xml version="1.0"?><a/>',
];

/** Content types besides the document's own: refused ones, near misses, charsets the parser does not read. */
const OTHER_CONTENT_TYPES = [
  'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream',
  'application/json; charset=utf-8', 'application/JSON', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json;;', 'application/vnd.api+json',
  'application/merge-patch+json', 'application/yaml', 'text/yaml', '*/*', 'json', ';', '',
];

/** A manifest-shaped YAML text: the right header, a kind the API knows or not, and an arbitrary spec. */
function manifestText(pool: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const kind = fc.constantFrom('Preset', 'Policy', 'MaintenanceState', 'Schedule', 'Notifier', 'Thing');
  const spec = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(pool, fc.oneof(pool, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }));
  const one = fc.tuple(kind, fc.oneof(pool, fc.string({ maxLength: 20 })), spec).map(([k, name, s]) => `apiVersion: maintenance/v1\nkind: ${k}\nmetadata: {name: ${JSON.stringify(name)}}\nspec: ${JSON.stringify(s)}\n`);
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((docs) => docs.join('---\n'));
}

/** Builds value generators from the document's schemas, resolving `$ref`s. */
class SchemaValues {
  private readonly strings: fc.Arbitrary<string>;
  private readonly names: fc.Arbitrary<string>;
  private readonly hostile = fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.constantFrom(...HOSTILE_STRINGS), fc.jsonValue({ maxDepth: 2 }));

  /** `strict`: only what the schema allows (no hostile values, no unknown fields), for well-formed requests. */
  constructor(
    private readonly document: OpenApiDocument,
    context: FuzzContext,
    private readonly strict: boolean,
  ) {
    this.strings = fc.constantFrom(...context.pool);
    this.names = context.names.length ? fc.constantFrom(...context.names) : this.strings;
  }

  /** Mostly what the schema says, sometimes anything. */
  value(schema: Schema | undefined, depth = 0, hint = ''): fc.Arbitrary<unknown> {
    if (this.strict) return this.valid(schema, depth, hint);
    return fc.oneof({ weight: 9, arbitrary: this.valid(schema, depth, hint) }, { weight: 1, arbitrary: this.hostile });
  }

  /** A string for a path or query parameter: a known name, the pool, the schema, or (not strict) hostile text. */
  text(schema: Schema | undefined): fc.Arbitrary<string> {
    const fromSchema = this.valid(schema, 0, '').map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? ''));
    if (this.strict) return fc.oneof({ weight: 6, arbitrary: this.names }, { weight: 3, arbitrary: fromSchema }, { weight: 1, arbitrary: this.strings });
    return fc.oneof({ weight: 3, arbitrary: this.names }, { weight: 3, arbitrary: this.strings }, { weight: 3, arbitrary: fromSchema }, { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) });
  }

  private resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return this.document.components?.schemas?.[name] ?? {};
  }

  private valid(raw: Schema | undefined, depth: number, hint: string): fc.Arbitrary<unknown> {
    if (!raw) return fc.jsonValue({ maxDepth: 2 });
    const schema = this.resolve(raw);
    if (depth > 6) return fc.constant(null);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((alternative) => this.valid(alternative, depth + 1, hint)));
    if (schema.allOf?.length) return schema.allOf.length === 1 ? this.valid(schema.allOf[0], depth + 1, hint) : this.object(Object.assign({}, ...schema.allOf.map((part) => this.resolve(part))), depth);
    switch (schema.type) {
      case 'string':
        return this.string(schema, hint);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 100_000 });
      case 'number':
        return fc.oneof(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 100_000 }), fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }));
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.value(schema.items, depth + 1, hint), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'object':
        return this.object(schema, depth);
      default:
        return schema.properties ? this.object(schema, depth) : fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: Schema, hint: string): fc.Arbitrary<string> {
    const options: fc.WeightedArbitrary<string>[] = [
      { weight: 2, arbitrary: this.names },
      { weight: 3, arbitrary: this.strings },
      { weight: 2, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) }) },
    ];
    if (typeof schema.example === 'string') options.push({ weight: 2, arbitrary: fc.constant(schema.example) });
    if (schema.pattern) {
      try {
        options.push({ weight: 3, arbitrary: fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= 200) });
      } catch {
        // a pattern JavaScript cannot compile: the other generators stand in
      }
    }
    if (schema.format === 'date') options.push({ weight: 2, arbitrary: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)) });
    // Text the document says is YAML or manifests gets manifest-shaped documents: the way into the parsers.
    if (/yaml|manifest/i.test(`${schema.description ?? ''} ${hint}`)) options.push({ weight: 6, arbitrary: manifestText(this.strings) });
    return fc.oneof(...options);
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = Object.entries(schema.properties ?? {});
    const known = fc.record(Object.fromEntries(properties.map(([name, property]) => [name, this.value(property, depth + 1, `${name} ${property.description ?? ''}`)])), {
      requiredKeys: (schema.required ?? []).filter((name) => schema.properties?.[name]),
    });
    const extra = schema.additionalProperties;
    if ((extra === undefined || extra === false) && this.strict) return known;
    if (extra === undefined || extra === false) {
      // An unknown field now and then: the validation pipe must refuse it cleanly.
      return fc.tuple(known, fc.option(fc.dictionary(fc.constantFrom(...HOSTILE_STRINGS.slice(0, 20), 'extra'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { freq: 6 })).map(([record, added]) => ({ ...(added ?? {}), ...record }));
    }
    const values = extra === true ? fc.jsonValue({ maxDepth: 3 }) : this.value(extra, depth + 1);
    return fc.tuple(known, fc.dictionary(this.strings, values, { maxKeys: 3 })).map(([record, added]) => ({ ...added, ...record }));
  }
}

/** What one generated request gets wrong, if anything: well-formed, or one part of it hostile. */
const AXES = ['none', 'caller', 'host', 'origin', 'type', 'body', 'path', 'query', 'method', 'headers'] as const;
type Axis = (typeof AXES)[number];

/**
 * The request generator of one route. Each request is well-formed (a caller with a high role, our Host,
 * the documented content type, a body and parameters the schemas allow, names that exist) or gets one
 * part wrong: fuzzing every part at once would almost never get past the first check and reach the
 * handlers, where the state changes.
 */
export function requestsFor(route: Route, document: OpenApiDocument, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const good = parts(route, new SchemaValues(document, context, true), context, true);
  const bad = parts(route, new SchemaValues(document, context, false), context, false);
  const axis = fc.oneof({ weight: 4, arbitrary: fc.constant<Axis>('none') }, { weight: 9, arbitrary: fc.constantFrom<Axis>(...AXES.slice(1)) });
  return axis.chain((wrong) => {
    const pick = <T>(name: Axis, key: keyof Parts): fc.Arbitrary<T> => (wrong === name ? bad[key] : good[key]) as fc.Arbitrary<T>;
    return fc
      .record({
        path: pick<string>('path', 'path'),
        query: pick<string>('query', 'query'),
        method: pick<string>('method', 'method'),
        caller: pick<Caller>('caller', 'caller'),
        host: pick<string>('host', 'host'),
        origin: pick<string | null>('origin', 'origin'),
        extraHeaders: pick<Record<string, string> | null>('headers', 'extraHeaders'),
        type: pick<string | null>('type', 'type'),
        chunked: fc.boolean(),
      })
      .chain((chosen) => fc.tuple(fc.constant(chosen), authorization(chosen.caller, context), (wrong === 'body' ? bad : good).body(chosen.type)))
      .map(([chosen, auth, payload]) => {
        const headers: Record<string, string> = { host: chosen.host, ...(chosen.extraHeaders ?? {}) };
        if (auth !== null) headers.authorization = auth;
        if (chosen.origin !== null) headers.origin = chosen.origin;
        const sendsBody = BODY_METHODS.has(chosen.method) && payload !== null;
        if (sendsBody && chosen.type !== null) headers['content-type'] = chosen.type;
        return { route, method: chosen.method, target: `${chosen.path}${chosen.query}`, caller: chosen.caller, headers, body: sendsBody ? payload : null, chunked: sendsBody && chosen.chunked && payload.length > 1 };
      });
  });
}

/** The generators of each part of a request, well-formed or hostile. */
interface Parts {
  path: fc.Arbitrary<string>;
  query: fc.Arbitrary<string>;
  method: fc.Arbitrary<string>;
  caller: fc.Arbitrary<Caller>;
  host: fc.Arbitrary<string>;
  origin: fc.Arbitrary<string | null>;
  extraHeaders: fc.Arbitrary<Record<string, string> | null>;
  type: fc.Arbitrary<string | null>;
  body: (type: string | null) => fc.Arbitrary<string | null>;
}

function parts(route: Route, values: SchemaValues, context: FuzzContext, wellFormed: boolean): Parts {
  const parameters = route.operation.parameters ?? [];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const port = context.host.split(':')[1];

  const path = fc.tuple(...pathParameters.map((parameter) => fc.tuple(values.text(parameter.schema), fc.boolean()))).map((chosen) => {
    let filled = route.path;
    pathParameters.forEach((parameter, index) => {
      const [value, raw] = chosen[index];
      // Encoded as a client would, or (hostile) raw where that stays a valid request line: %, .., %zz reach the router as such.
      const segment = !wellFormed && raw && /^[\w.~%:@!$&'()*+,;=-]+$/.test(value) ? value : encode(value);
      filled = filled.replace(`{${parameter.name}}`, segment);
    });
    return filled;
  });

  const query = fc
    .tuple(
      fc.tuple(...queryParameters.map((parameter) => fc.option(fc.tuple(values.text(parameter.schema), fc.boolean()), { freq: 2 }))),
      wellFormed ? fc.constant(null) : fc.option(fc.tuple(fc.constantFrom('unknown', 'token', '__proto__', 'limit[]', 'a'), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 12))), { freq: 3 }),
    )
    .map(([chosen, extra]) => {
      const pairs: string[] = [];
      queryParameters.forEach((parameter, index) => {
        const picked = chosen[index];
        if (!picked) return;
        const [value, twice] = picked;
        pairs.push(`${encode(parameter.name)}=${encode(value)}`);
        // The same name twice: Express hands the handler an array where a string was declared.
        if (twice && !wellFormed) pairs.push(`${encode(parameter.name)}=${encode(value)}`);
      });
      if (extra) pairs.push(`${encode(extra[0])}=${encode(extra[1])}`);
      return pairs.length ? `?${pairs.join('&')}` : '';
    });

  const documentedTypes = Object.keys(route.operation.requestBody?.content ?? {});
  const bodySchema = (type: string) => route.operation.requestBody?.content[type]?.schema;
  const type = wellFormed
    ? fc.constantFrom(...(documentedTypes.length ? documentedTypes : ['application/json']))
    : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(null) });

  const body = (chosenType: string | null): fc.Arbitrary<string | null> => {
    const schema = bodySchema(chosenType ?? 'application/json') ?? bodySchema('application/json');
    const isYaml = chosenType !== null && /yaml/i.test(chosenType);
    const fromSchema = values.value(schema).map((value) => (isYaml && typeof value === 'string' ? value : JSON.stringify(value) ?? 'null'));
    if (wellFormed) return schema ? fc.oneof({ weight: 6, arbitrary: fromSchema }, { weight: 1, arbitrary: fc.constant(null) }) : fc.constant(null);
    return fc.oneof(
      { weight: 6, arbitrary: fromSchema },
      { weight: 3, arbitrary: fc.constantFrom(...RAW_BODIES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      // Past the 1 MB body limit: the parser must refuse it with 413, not fall over.
      { weight: 1, arbitrary: fc.constant(null).map(() => JSON.stringify({ padding: 'x'.repeat(1_100_000) })) },
    );
  };

  return {
    path,
    query,
    body,
    type,
    method: wellFormed ? fc.constant(route.method) : fc.constantFrom(...['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].filter((method) => method !== route.method)),
    caller: wellFormed ? fc.constantFrom<Caller>('admin', 'admin', 'operator') : fc.constantFrom<Caller>('viewer', 'scenario', 'none', 'unknown', 'malformed', 'operator', 'viewer'),
    host: wellFormed ? fc.constant(context.host) : fc.constantFrom('attacker.example', `localhost.attacker.example:${port}`, 'localhost', `[::1]:${port}`, `127.0.0.1.nip.io:${port}`),
    origin: wellFormed ? fc.constantFrom(null, null, null, `http://${context.host}`) : fc.constantFrom('http://evil.example', 'null', `https://${context.host}`, 'file://', `http://${context.host}.evil.example`),
    extraHeaders: wellFormed
      ? fc.constant(null)
      : fc.constantFrom<Record<string, string>>({ 'content-encoding': 'gzip' }, { 'content-encoding': 'br' }, { 'content-encoding': 'identity' }, { accept: 'text/html' }, { 'x-forwarded-for': '10.0.0.1' }, { 'x-http-method-override': 'DELETE' }, { 'accept-charset': 'utf-16' }, { expect: '100-continue' }),
  };
}

/** The Authorization header of a caller. */
function authorization(who: Caller, context: FuzzContext): fc.Arbitrary<string | null> {
  if (who === 'none') return fc.constant(null);
  if (who === 'unknown') return fc.constantFrom('Bearer not-a-token', `Bearer ${context.secrets.admin}x`, `Bearer ${context.secrets.admin.slice(0, -1)}`);
  if (who === 'malformed') return fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer ', `Bearer  ${context.secrets.admin}`, `Token ${context.secrets.admin}`, `Bearer ${'a'.repeat(4000)}`, `${context.secrets.admin}`);
  return fc.constant(`Bearer ${context.secrets[who]}`);
}

/** Percent-encodes the UTF-8 of `value` (a lone surrogate becomes U+FFFD, as on the wire). */
function encode(value: string): string {
  return encodeURIComponent(Buffer.from(value).toString());
}

/** A line that names a request well enough to replay it. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body === null ? '' : ` body ${JSON.stringify(request.body.length > 300 ? `${request.body.slice(0, 300)}… (${request.body.length} chars)` : request.body)}`;
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value.length > 80 ? `${value.slice(0, 80)}…` : value}`)
    .join(', ');
  return `${request.method} ${request.target.length > 300 ? `${request.target.slice(0, 300)}…` : request.target} as ${request.caller} [${headers}]${request.chunked ? ' chunked' : ''}${body}`;
}
