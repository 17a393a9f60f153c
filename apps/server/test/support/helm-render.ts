/**
 * A renderer for the subset of Helm's templates (Go text/template + the Sprig functions) our chart uses,
 * for tests on machines without the `helm` binary: actions with trim markers and comments, if / else if /
 * else, range (lists and maps, with variables), with, define / include, variables (`$x := …`), pipelines,
 * parentheses and the functions in FUNCTIONS. Anything else is an error, never a silent blank, so a chart
 * change that needs more fails its test instead of rendering wrong.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';

type Value = unknown;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe; assign?: string }
  | { kind: 'if'; branches: { cond: Pipe; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipe; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipe; vars: string[]; body: Node[]; otherwise: Node[] };

type Arg =
  | { kind: 'lit'; value: Value }
  | { kind: 'field'; /** `.`, `$` or a variable's name */ base: string; path: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'paren'; pipe: Pipe };
type Pipe = Arg[][];

export class TemplateError extends Error {}

// ---- lexing: text and actions ------------------------------------------------------------------

interface Action {
  body: string;
}

function lex(src: string): (string | Action)[] {
  const out: (string | Action)[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open === -1) {
      out.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src[start] === '-' && /\s/.test(src[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    let end = close;
    let trimAfter = false;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimAfter = true;
    }
    out.push(text);
    const body = src.slice(start, end).trim();
    if (!body.startsWith('/*')) out.push({ body });
    i = close + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i]!)) i++;
  }
  return out;
}

function findClose(src: string, from: number): number {
  let inStr = false;
  for (let j = from; j < src.length - 1; j++) {
    const c = src[j];
    if (inStr) {
      if (c === '\\') j++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '/' && src[j + 1] === '*') {
      const endComment = src.indexOf('*/', j + 2);
      if (endComment === -1) throw new TemplateError('unclosed comment');
      j = endComment + 1;
    } else if (c === '}' && src[j + 1] === '}') return j;
  }
  throw new TemplateError('unclosed action');
}

// ---- parsing -----------------------------------------------------------------------------------

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== '"') j += expr[j] === '\\' ? 2 : 1;
      tokens.push(expr.slice(i, j + 1));
      i = j + 1;
    } else if ('()|,'.includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === ':' && expr[i + 1] === '=') {
      tokens.push(':=');
      i += 2;
    } else {
      let j = i;
      while (j < expr.length && !/[\s()|,"]/.test(expr[j]!) && !(expr[j] === ':' && expr[j + 1] === '=')) j++;
      tokens.push(expr.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function parsePipe(tokens: string[]): Pipe {
  const pipe: Pipe = [];
  let cmd: Arg[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === '|') {
      pipe.push(cmd);
      cmd = [];
      i++;
    } else if (t === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < tokens.length && depth > 0; j++) {
        if (tokens[j] === '(') depth++;
        if (tokens[j] === ')') depth--;
      }
      if (depth !== 0) throw new TemplateError('unbalanced parentheses');
      cmd.push({ kind: 'paren', pipe: parsePipe(tokens.slice(i + 1, j - 1)) });
      i = j;
    } else {
      cmd.push(parseArg(t));
      i++;
    }
  }
  pipe.push(cmd);
  if (pipe.some((c) => c.length === 0)) throw new TemplateError(`empty command in "${tokens.join(' ')}"`);
  return pipe;
}

function parseArg(t: string): Arg {
  if (t.startsWith('"')) return { kind: 'lit', value: JSON.parse(t) as string };
  if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: 'lit', value: Number(t) };
  if (t === 'true' || t === 'false') return { kind: 'lit', value: t === 'true' };
  if (t === 'nil') return { kind: 'lit', value: undefined };
  if (t === '.') return { kind: 'field', base: '.', path: [] };
  if (t.startsWith('.')) return { kind: 'field', base: '.', path: t.slice(1).split('.') };
  if (t.startsWith('$')) {
    const [name, ...rest] = t.split('.');
    return { kind: 'field', base: name === '$' ? '$' : name!, path: rest };
  }
  if (/^[A-Za-z_]\w*$/.test(t)) return { kind: 'ident', name: t };
  throw new TemplateError(`cannot parse "${t}"`);
}

function parseTemplate(src: string, defines: Map<string, Node[]>): Node[] {
  const items = lex(src);
  let pos = 0;

  function block(stops: string[]): { nodes: Node[]; stop: string; rest: string } {
    const nodes: Node[] = [];
    while (pos < items.length) {
      const item = items[pos++]!;
      if (typeof item === 'string') {
        if (item) nodes.push({ kind: 'text', text: item });
        continue;
      }
      const [word = '', ...restWords] = item.body.split(/\s+/);
      const rest = item.body.slice(word.length).trim();
      if (stops.includes(word)) return { nodes, stop: word, rest };
      if (word === 'if') nodes.push(parseIf(rest));
      else if (word === 'with' || word === 'range') nodes.push(parseWithOrRange(word, rest));
      else if (word === 'define') {
        const name = JSON.parse(rest) as string;
        const body = block(['end']);
        defines.set(name, body.nodes);
      } else if (['else', 'end'].includes(word)) throw new TemplateError(`unexpected {{${item.body}}}`);
      else {
        const tokens = tokenize(item.body);
        if (tokens[1] === ':=' || tokens[1] === '=') nodes.push({ kind: 'action', assign: tokens[0]!, pipe: parsePipe(tokens.slice(2)) });
        else nodes.push({ kind: 'action', pipe: parsePipe(tokens) });
      }
      void restWords;
    }
    if (stops.length > 0) throw new TemplateError(`missing {{end}} (expected one of ${stops.join(', ')})`);
    return { nodes, stop: '', rest: '' };
  }

  function parseIf(cond: string): Node {
    const branches: { cond: Pipe; body: Node[] }[] = [];
    let current = cond;
    for (;;) {
      const b = block(['else', 'end']);
      branches.push({ cond: parsePipe(tokenize(current)), body: b.nodes });
      if (b.stop === 'end') return { kind: 'if', branches, otherwise: [] };
      if (b.rest.startsWith('if ')) {
        current = b.rest.slice(3);
        continue;
      }
      const e = block(['end']);
      return { kind: 'if', branches, otherwise: e.nodes };
    }
  }

  function parseWithOrRange(word: 'with' | 'range', head: string): Node {
    const tokens = tokenize(head);
    let vars: string[] = [];
    const assign = tokens.indexOf(':=');
    let pipeTokens = tokens;
    if (assign !== -1) {
      vars = tokens.slice(0, assign).filter((t) => t !== ',');
      pipeTokens = tokens.slice(assign + 1);
    }
    const b = block(['else', 'end']);
    const otherwise = b.stop === 'else' ? block(['end']).nodes : [];
    const pipe = parsePipe(pipeTokens);
    return word === 'with' ? { kind: 'with', pipe, body: b.nodes, otherwise } : { kind: 'range', pipe, vars, body: b.nodes, otherwise };
  }

  return block([]).nodes;
}

// ---- evaluation --------------------------------------------------------------------------------

function truthy(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function print(v: Value): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') throw new TemplateError(`cannot print a ${Array.isArray(v) ? 'list' : 'map'} (use toYaml)`);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function toYaml(v: Value): string {
  if (v === undefined || v === null) return 'null';
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
}

const indent = (n: number, s: string) =>
  s
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

function sprintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%[sdvq%]/g, (m) => {
    if (m === '%%') return '%';
    const v = args[i++];
    return m === '%q' ? JSON.stringify(print(v)) : print(v);
  });
}

interface Scope {
  dot: Value;
  root: Value;
  vars: Map<string, Value>;
}

export class HelmRenderer {
  private readonly defines = new Map<string, Node[]>();

  constructor(private readonly templates: Map<string, string>) {
    for (const [name, src] of templates) if (name.endsWith('.tpl')) parseTemplate(src, this.defines);
  }

  render(name: string, root: Value): string {
    const nodes = parseTemplate(this.templates.get(name)!, this.defines);
    return this.exec(nodes, { dot: root, root, vars: new Map() });
  }

  private exec(nodes: Node[], scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'action': {
          const v = this.pipe(node.pipe, scope);
          if (node.assign) scope.vars.set(node.assign, v);
          else out += print(v);
          break;
        }
        case 'if': {
          const hit = node.branches.find((b) => truthy(this.pipe(b.cond, scope)));
          out += this.exec(hit ? hit.body : node.otherwise, { ...scope, vars: new Map(scope.vars) });
          break;
        }
        case 'with': {
          const v = this.pipe(node.pipe, scope);
          out += truthy(v) ? this.exec(node.body, { ...scope, dot: v, vars: new Map(scope.vars) }) : this.exec(node.otherwise, scope);
          break;
        }
        case 'range': {
          const v = this.pipe(node.pipe, scope);
          const entries: [Value, Value][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : v && typeof v === 'object'
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, (v as Record<string, Value>)[k]])
              : [];
          if (entries.length === 0) out += this.exec(node.otherwise, scope);
          for (const [k, x] of entries) {
            const vars = new Map(scope.vars);
            if (node.vars.length === 1) vars.set(node.vars[0]!, x);
            if (node.vars.length === 2) {
              vars.set(node.vars[0]!, k);
              vars.set(node.vars[1]!, x);
            }
            out += this.exec(node.body, { ...scope, dot: x, vars });
          }
          break;
        }
      }
    }
    return out;
  }

  private pipe(pipe: Pipe, scope: Scope): Value {
    let last: Value = undefined;
    pipe.forEach((cmd, i) => {
      const piped = i > 0 ? [last] : [];
      last = this.command(cmd, scope, piped);
    });
    return last;
  }

  private command(cmd: Arg[], scope: Scope, piped: Value[]): Value {
    const [head, ...rest] = cmd;
    if (head!.kind === 'ident') {
      const args = [...rest.map((a) => this.arg(a, scope)), ...piped];
      return this.call(head!.name, args, scope);
    }
    if (rest.length > 0 || piped.length > 0) throw new TemplateError('a value cannot take arguments');
    return this.arg(head!, scope);
  }

  private arg(a: Arg, scope: Scope): Value {
    switch (a.kind) {
      case 'lit':
        return a.value;
      case 'paren':
        return this.pipe(a.pipe, scope);
      case 'ident':
        return this.call(a.name, [], scope);
      case 'field': {
        let v: Value;
        if (a.base === '.') v = scope.dot;
        else if (a.base === '$') v = scope.root;
        else {
          if (!scope.vars.has(a.base)) throw new TemplateError(`undefined variable ${a.base}`);
          v = scope.vars.get(a.base);
        }
        for (const key of a.path) v = v && typeof v === 'object' ? (v as Record<string, Value>)[key] : undefined;
        return v;
      }
    }
  }

  private call(name: string, args: Value[], scope: Scope): Value {
    const s = (i: number) => print(args[i]);
    const n = (i: number) => Number(args[i]);
    switch (name) {
      case 'include': {
        const body = this.defines.get(s(0));
        if (!body) throw new TemplateError(`no template "${s(0)}"`);
        return this.exec(body, { dot: args[1], root: scope.root, vars: new Map() });
      }
      case 'toYaml':
        return toYaml(args[0]);
      case 'nindent':
        return '\n' + indent(n(0), s(1));
      case 'indent':
        return indent(n(0), s(1));
      case 'quote':
        return args.map((a) => JSON.stringify(print(a))).join(' ');
      case 'default':
        return truthy(args[1]) ? args[1] : args[0];
      case 'required':
        if (!truthy(args[1])) throw new TemplateError(s(0));
        return args[1];
      case 'trunc':
        return s(1).slice(0, n(0));
      case 'trimSuffix':
        return s(1).endsWith(s(0)) ? s(1).slice(0, -s(0).length) : s(1);
      case 'contains':
        return s(1).includes(s(0));
      case 'printf':
        return sprintf(s(0), args.slice(1));
      case 'sha256sum':
        return createHash('sha256').update(s(0)).digest('hex');
      case 'not':
        return !truthy(args[0]);
      case 'and':
        return args.find((a) => !truthy(a)) ?? args.at(-1);
      case 'or':
        return args.find((a) => truthy(a)) ?? args.at(-1);
      case 'eq':
        return args.slice(1).some((a) => a === args[0]);
      case 'ne':
        return args[0] !== args[1];
      case 'mul':
        return args.reduce((p: number, a) => p * Number(a), 1);
      case 'sub':
        return n(0) - n(1);
      case 'add':
        return args.reduce((p: number, a) => p + Number(a), 0);
      case 'list':
        return args;
      case 'dict': {
        const out: Record<string, Value> = {};
        for (let i = 0; i + 1 < args.length; i += 2) out[s(i)] = args[i + 1];
        return out;
      }
      case 'index':
        return args
          .slice(1)
          .reduce((v: Value, k) => (v && typeof v === 'object' ? (v as Record<string, Value>)[print(k)] : undefined), args[0]);
      default:
        throw new TemplateError(`function "${name}" is not supported by the test renderer`);
    }
  }
}

export interface Chart {
  apiVersion: string;
  name: string;
  version: string;
  appVersion: string;
}

/** Reads a chart directory: Chart.yaml, values.yaml and templates/*. */
export async function loadChart(dir: string): Promise<{ chart: Chart; values: Record<string, Value>; templates: Map<string, string> }> {
  const chart = parseYaml(await readFile(path.join(dir, 'Chart.yaml'), 'utf8')) as Chart;
  const values = parseYaml(await readFile(path.join(dir, 'values.yaml'), 'utf8')) as Record<string, Value>;
  const templates = new Map<string, string>();
  for (const file of await readdir(path.join(dir, 'templates'))) {
    templates.set(file, await readFile(path.join(dir, 'templates', file), 'utf8'));
  }
  return { chart, values, templates };
}

function merge(base: Value, over: Value): Value {
  if (!over || typeof over !== 'object' || Array.isArray(over) || !base || typeof base !== 'object' || Array.isArray(base)) return over;
  const out: Record<string, Value> = { ...(base as Record<string, Value>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

/** `helm template <release> <dir> --set …` for our chart: the manifests (NOTES.txt apart) as YAML documents. */
export async function helmTemplate(
  dir: string,
  overrides: Record<string, Value> = {},
  release = { name: 'sb', namespace: 'default' },
): Promise<{ manifests: Record<string, any>[]; notes: string }> {
  const { chart, values, templates } = await loadChart(dir);
  const renderer = new HelmRenderer(templates);
  const root = {
    Values: merge(values, overrides),
    Release: { Name: release.name, Namespace: release.namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const manifests: Record<string, any>[] = [];
  let notes = '';
  for (const name of [...templates.keys()].sort()) {
    if (name.endsWith('.tpl')) continue;
    const text = renderer.render(name, root);
    if (name === 'NOTES.txt') {
      notes = text;
      continue;
    }
    for (const doc of text.split(/^---\s*$/m)) {
      const parsed = parseYaml(doc) as Record<string, any> | null;
      if (parsed) manifests.push(parsed);
    }
  }
  return { manifests, notes };
}
