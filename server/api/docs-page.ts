/** The API reference at /api/docs: rendered here from the OpenAPI document (no CDN, works offline). */
type Json = Record<string, any>;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A schema as a TypeScript-like shape (`{ id: string, tags: string[], … }`), `$ref`s linked to their component. */
function shape(schema: Json, indent = ''): string {
  if (schema.$ref) {
    const id = String(schema.$ref).split('/').pop()!;
    return `<a href="#schema-${esc(id)}">${esc(id)}</a>`;
  }
  if (schema.anyOf || schema.oneOf) return (schema.anyOf ?? schema.oneOf).map((s: Json) => shape(s, indent)).join(' | ');
  if (schema.const !== undefined) return esc(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((v: unknown) => esc(JSON.stringify(v))).join(' | ');
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const rest = types.filter((t) => t !== 'object' && t !== 'array');
  if (types.includes('array')) return `${shape(schema.items ?? {}, indent)}[]`;
  if (types.includes('object') || schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const inner = `${indent}  `;
    const props = Object.entries((schema.properties ?? {}) as Record<string, Json>).map(
      ([k, v]) => `${inner}${esc(k)}${required.has(k) ? '' : '?'}: ${shape(v, inner)}${v.description ? ` <span class="note">// ${esc(v.description)}</span>` : ''}`,
    );
    const extra = schema.additionalProperties;
    // A record (`propertyNames`) or typed extras get an index signature; open objects (loose: `{}`/true) a "…".
    if (extra && typeof extra === 'object' && (Object.keys(extra).length > 0 || schema.propertyNames)) props.push(`${inner}[key: string]: ${shape(extra, inner)}`);
    else if (extra === true || (extra && typeof extra === 'object')) props.push(`${inner}…`);
    return `{\n${props.join(',\n')}\n${indent}}`;
  }
  return rest.length ? rest.map((t) => (t === 'string' && schema.format ? `string (${esc(schema.format)})` : esc(t))).join(' | ') : 'any';
}

function schemaBlock(schema: Json): string {
  return `<pre class="schema">${shape(schema)}</pre>`;
}

/** A parameter's schema in a few words: type, allowed values, bounds, default. */
function summary(schema: Json): string {
  if (schema.$ref) {
    const id = String(schema.$ref).split('/').pop()!;
    return `<a href="#schema-${esc(id)}">${esc(id)}</a>`;
  }
  const parts = [esc(schema.type ?? 'any')];
  if (schema.enum) parts.push(`one of ${schema.enum.map((v: unknown) => `<code>${esc(v)}</code>`).join(', ')}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${esc(schema.minimum ?? '')}…${esc(schema.maximum ?? '')}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${esc(schema.maxLength)} chars`);
  if (schema.default !== undefined) parts.push(`default <code>${esc(JSON.stringify(schema.default))}</code>`);
  return parts.join(', ');
}

function operation(path: string, method: string, o: Json): string {
  const params = (o.parameters ?? []) as Json[];
  const body = o.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries((o.responses ?? {}) as Record<string, Json>);
  return `<section class="op" id="${esc(o.operationId)}">
  <h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
  <p>${esc(o.summary)}${o.description ? `<br><span class="desc">${esc(o.description)}</span>` : ''}</p>
  <p class="scope">Scope: <code>${esc(o['x-scope'])}</code></p>
  ${
    params.length
      ? `<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${params
          .map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${esc(p.in)}</td><td>${summary(p.schema)}</td><td>${esc(p.description ?? '')}</td></tr>`)
          .join('')}</tbody></table>`
      : ''
  }
  ${body ? `<h4>Request body</h4>${schemaBlock(body)}` : ''}
  <h4>Responses</h4>
  <ul>${responses
    .map(([code, r]) => {
      const s = r.content?.['application/json']?.schema;
      return `<li><code>${esc(code)}</code> ${esc(r.description ?? '')}${s && !code.startsWith('4') ? schemaBlock(s) : ''}</li>`;
    })
    .join('')}</ul>
</section>`;
}

export function docsPage(doc: Json, nonce: string): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, o] of Object.entries(methods)) {
      const tag = (o.tags?.[0] as string) ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(path, method, o)]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<li><a href="#tag-${esc(t)}">${esc(t)}</a></li>`).join('');
  const webhooks = Object.entries(doc.webhooks as Record<string, Json>)
    .map(([name, w]) => `<section class="op" id="event-${esc(name)}"><h3><code>${esc(name)}</code></h3><p>${esc(w.post.description)}</p>${schemaBlock(w.post.requestBody.content['application/json'].schema)}</section>`)
    .join('');
  const schemas = Object.entries(doc.components.schemas as Record<string, Json>)
    .map(([id, s]) => `<section id="schema-${esc(id)}"><h3>${esc(id)}</h3>${schemaBlock(s)}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — reference</title>
<style nonce="${esc(nonce)}">
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;display:grid;grid-template-columns:220px minmax(0,1fr)}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f4f6f8;padding:1rem;box-sizing:border-box}
main{padding:1rem 2rem;max-width:980px;min-width:0}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
.op{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.8em;padding:.1em .4em}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.delete{background:#cf222e}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.85em;max-height:28rem}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
.desc,.scope,.note{color:#57606a}
</style></head>
<body><nav><strong>answerdesk API</strong><ul>
<li><a href="#authentication">Authentication</a></li><li><a href="#conventions">Conventions</a></li>${nav}
<li><a href="#webhooks">Webhook events</a></li><li><a href="#schemas">Schemas</a></li></ul>
<p><a href="/api/v1/openapi.json">openapi.json</a></p></nav>
<main>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>Base URL: <code>${esc(doc.servers[0].url)}</code></p>
<h2 id="authentication">Authentication</h2>
<p>Send <code>Authorization: Bearer ak_…</code>. Admins create keys in the console (Settings → API keys); a key is shown once and stored hashed. Scopes: <code>read</code>, <code>tickets:write</code>, <code>conversations:write</code>, <code>knowledge:write</code>, <code>admin</code> (all). A missing scope gives 403, a revoked key 401 at once on every instance.
The old <code>ADMIN_API_TOKEN</code> still works as a key with every scope; it is <strong>deprecated</strong> (responses carry <code>Deprecation: true</code>): create a key instead.</p>
<h2 id="conventions">Conventions</h2>
<ul><li>Lists return <code>{"data":[…],"nextCursor":…}</code>; pass <code>nextCursor</code> as <code>cursor</code> for the next page (null: the end).</li>
<li>Every POST accepts <code>Idempotency-Key</code>: a retry with the same key and body returns the first response (<code>Idempotent-Replayed: true</code>) and the work is done once.</li>
<li>Errors: <code>{"error":{"code":"…","message":"…"}}</code> with a 4xx status.</li>
<li>Rate limit per key and minute (<code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code>, 429 with <code>Retry-After</code>).</li></ul>
${[...byTag].map(([tag, ops]) => `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops.join('')}`).join('')}
<h2 id="webhooks">Webhook events</h2>
<p>Each delivery is a POST of one event, at least once, with <code>answerdesk-event-id</code> (stable across retries: de-duplicate on it) and
<code>answerdesk-signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, the HMAC-SHA256 of <code>t + "." + body</code> with the subscription’s secret. While a rotated secret overlaps, two <code>v1</code> values are sent: accept if any matches, and refuse timestamps older than 5 minutes. Answer 2xx quickly; anything else is retried with exponential backoff for up to 24 hours, and a subscription failing for a day is disabled.</p>
<pre>const [t, ...sigs] = header.split(',');
const expected = crypto.createHmac('sha256', secret).update(t.slice(2) + '.' + rawBody).digest('hex');
const ok = sigs.some((s) => s === 'v1=' + expected) &amp;&amp; Math.abs(Date.now() / 1000 - Number(t.slice(2))) &lt; 300;</pre>
${webhooks}
<h2 id="schemas">Schemas</h2>${schemas}
</main></body></html>`;
}
