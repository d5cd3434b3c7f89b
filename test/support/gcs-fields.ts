/**
 * The `fields` parameter of Google APIs (partial responses): `items(name,size),nextPageToken`, `a/b`, nested
 * parentheses. Selects those fields of a JSON response; arrays apply the selection to each element.
 */
type Selection = Map<string, Selection | true>;

function parse(text: string): Selection {
  let i = 0;
  const list = (): Selection => {
    const out: Selection = new Map();
    while (i < text.length && text[i] !== ')') {
      let name = '';
      while (i < text.length && !',()'.includes(text[i]!)) name += text[i++];
      let sub: Selection | true = true;
      if (text[i] === '(') {
        i++;
        sub = list();
        i++; // ')'
      }
      // `a/b/c` selects c inside b inside a.
      const path = name.trim().split('/');
      let node = out;
      for (const [k, seg] of path.entries()) {
        if (k === path.length - 1) {
          const prev = node.get(seg);
          node.set(seg, prev instanceof Map && sub instanceof Map ? new Map([...prev, ...sub]) : sub);
        } else {
          const next = node.get(seg);
          const m: Selection = next instanceof Map ? next : new Map();
          node.set(seg, m);
          node = m;
        }
      }
      if (text[i] === ',') i++;
    }
    return out;
  };
  return list();
}

function select(value: unknown, sel: Selection): unknown {
  if (Array.isArray(value)) return value.map((v) => select(v, sel));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of sel) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sub === true ? v : select(v, sub);
  }
  return out;
}

export function applyFields(body: unknown, fields: string | undefined): unknown {
  return fields === undefined || fields.trim() === '' ? body : select(body, parse(fields));
}
