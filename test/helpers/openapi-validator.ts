import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable` becomes "or null", and every object of a
 * component that lists its properties admits no others, so a field the API sends but the document
 * does not name fails as surely as a documented field that is missing or of another type.
 */
function toJsonSchema(s: unknown, strictObjects: boolean): unknown {
  if (Array.isArray(s)) return s.map((x) => toJsonSchema(x, strictObjects));
  if (!s || typeof s !== 'object') return s;
  const o = { ...(s as Schema) };
  if (typeof o.$ref === 'string') return { $ref: o.$ref.replace('#/components/schemas/', 'doc#/components/schemas/') };
  for (const key of ['properties', 'patternProperties']) {
    if (o[key]) o[key] = Object.fromEntries(Object.entries(o[key] as Schema).map(([k, v]) => [k, toJsonSchema(v, strictObjects)]));
  }
  for (const key of ['items', 'additionalProperties', 'not']) if (o[key] && typeof o[key] === 'object') o[key] = toJsonSchema(o[key], strictObjects);
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (o[key]) o[key] = (o[key] as unknown[]).map((x) => toJsonSchema(x, false));
  if (strictObjects && o.properties && o.additionalProperties === undefined && !o.allOf) o.additionalProperties = false;
  delete o.example;
  if (o.nullable === true) {
    delete o.nullable;
    return { anyOf: [o, { type: 'null' }] };
  }
  return o;
}

export interface ResponseCheck {
  (method: string, path: string, status: number, contentType: string, body: unknown): string[];
}

/** Checks answers against the document: the schema of that operation, status and media type. */
export function responseValidator(doc: any): ResponseCheck {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const schemas = Object.fromEntries(Object.entries(doc.components.schemas as Schema).map(([k, v]) => [k, toJsonSchema(v, true)]));
  ajv.addSchema({ $id: 'doc', components: { schemas } });
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(doc.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  return (method, path, status, contentType, body) => {
    const bare = path.split('?')[0];
    const template = templates.find((t) => t.re.test(bare))?.p;
    if (!template) return [`${method} ${bare}: not in the document`];
    const op = doc.paths[template][method.toLowerCase()];
    if (!op) return [`${method} ${template}: not in the document`];
    const response = op.responses[String(status)];
    if (!response) return [`${method} ${template}: status ${status} not documented`];
    const media = contentType.split(';')[0].trim();
    if (status === 204) return [];
    const schema = response.content?.[media]?.schema;
    if (!schema) return [`${method} ${template} ${status}: no schema for ${media}`];
    const key = `${method} ${template} ${status} ${media}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema, false) as Schema);
      compiled.set(key, validate);
    }
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  };
}
