import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TemplateInfo {
  id: 'c' | 'rust' | 'tinygo' | 'wat';
  label: string;
  description: string;
  /** What building it needs (shown before creating). */
  needs: string;
}

export const TEMPLATES: TemplateInfo[] = [
  {
    id: 'c',
    label: 'C (clang + wasi-libc)',
    description: 'clang --target=wasm32-wasi, and gcc -static for the native twin',
    needs: 'clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32, gcc',
  },
  {
    id: 'rust',
    label: 'Rust (wasm32-wasip1)',
    description:
      'cargo build --target wasm32-wasip1, and x86_64-unknown-linux-musl for the native twin',
    needs: 'rustup targets wasm32-wasip1 and x86_64-unknown-linux-musl',
  },
  {
    id: 'tinygo',
    label: 'TinyGo (wasip1)',
    description: 'tinygo build -target=wasip1, and go build for the native twin',
    needs: 'TinyGo ≥ 0.30 and Go',
  },
  {
    id: 'wat',
    label: 'WebAssembly text (no toolchain)',
    description: 'main.wat compiled by the extension itself; a C twin with gcc -static',
    needs: 'nothing for the module; gcc for the native twin',
  },
];

/** The template folder: beside the bundle (dist/../templates) or in the repository (src/core/../../templates). */
export function templatesDir(): string {
  for (const candidate of [
    path.resolve(__dirname, '..', 'templates'),
    path.resolve(__dirname, '..', '..', 'templates'),
  ]) {
    if (existsSync(path.join(candidate, 'wat', 'main.wat'))) return candidate;
  }
  throw new Error('the project templates are missing from the installation (templates/)');
}

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

function commonFiles(name: string, template: TemplateInfo): Record<string, string> {
  const build =
    template.id === 'wat'
      ? `the module is compiled from main.wat by the extension itself; the native twin needs ${template.needs.replace(/^nothing for the module; /, '')}`
      : `needs ${template.needs}`;
  return {
    Dockerfile: `# ${name}: the Wasm image. Build it daemonless with "Wasm Containers: Build Wasm Image"\n# (or wasm-containers build Dockerfile --output oci-archive:${name}.oci.tar).\nFROM --platform=wasi/wasm scratch\nCOPY ${name}.wasm /${name}.wasm\nENTRYPOINT ["/${name}.wasm"]\n`,
    'Dockerfile.native': `# ${name}: the native counterpart, FROM scratch as well so that sizes and start-up compare like with like.\nFROM scratch\nCOPY ${name} /${name}\nENTRYPOINT ["/${name}"]\n`,
    '.gitignore': `${name}\n${name}.wasm\n*.oci.tar\n.wasm-containers/\ntarget/\n`,
    'README.md':
      `# ${name}\n\nA Wasm container and its native counterpart from the same ${template.label} source.\n\n` +
      `- Build: **Terminal → Run Build Task…** → *Wasm Containers: build ${name}* (the module and its native twin; ${build}), or \`sh build.sh\`. New Wasm Container built both already when the tools were there.\n` +
      '- Run: right-click the `.wasm` → **Run as Wasm Container**; **Run Native Counterpart** beside it.\n' +
      '- Compare: **Wasm Containers: Profile Against Native** (size, cold start, memory), or the code lenses above `FROM` in `Dockerfile`.\n' +
      '- Image: **Build Wasm Image** on `Dockerfile`, **Build Native Counterpart** on `Dockerfile.native`.\n',
  };
}

/** The files of a template with its placeholders filled in. */
export function renderTemplate(template: TemplateInfo, name: string): Record<string, string> {
  if (!NAME_PATTERN.test(name))
    throw new Error(
      `'${name}' is not a usable project name: lowercase letters, digits and -, starting with a letter`,
    );
  const greeting = `Hello from ${name}!`;
  const values: Record<string, string> = {
    name,
    greeting,
    greetingLength: String(greeting.length + 1),
    greetingLengthHex: (greeting.length + 1).toString(16).padStart(2, '0'),
  };
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? `{{${key}}}`);
  const files: Record<string, string> = {};
  const dir = path.join(templatesDir(), template.id);
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel))) {
      const relPath = path.join(rel, entry);
      if (statSync(path.join(dir, relPath)).isDirectory()) walk(relPath);
      else
        files[relPath.split(path.sep).join('/')] = fill(
          readFileSync(path.join(dir, relPath), 'utf8'),
        );
    }
  };
  walk('');
  return { ...files, ...commonFiles(name, template) };
}

/**
 * Writes a project from a template into DIR (which must be absent or empty). Building it is
 * buildProject's job (project-build.ts), so that the editor and the CLI report each step alike.
 */
export function createProject(templateId: string, dir: string, name: string): string[] {
  const template = TEMPLATES.find((t) => t.id === templateId);
  if (!template)
    throw new Error(
      `unknown template '${templateId}' (known: ${TEMPLATES.map((t) => t.id).join(', ')})`,
    );
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Error(`${dir} is not empty: choose a new or empty folder`);
  const files = renderTemplate(template, name);
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return Object.keys(files).sort();
}
