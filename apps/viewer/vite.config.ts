import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled example: served and copied at build time from fixtures/, never duplicated in git. */
const EXAMPLE_DIR = resolve(here, '../../fixtures/mg-tfsi-dme');
const EXAMPLE_FILES = ['final.gro', 'prod.xtc'];

/** Serve fixtures/mg-tfsi-dme/{final.gro,prod.xtc} under /example/ in dev and emit them into dist/example/. */
function exampleData(): Plugin {
  let outDir = '';
  return {
    name: 'solvscope-example-data',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const m = /^\/example\/([^/?#]+)/.exec(req.url ?? '');
        if (!m || !EXAMPLE_FILES.includes(m[1])) return next();
        const file = join(EXAMPLE_DIR, m[1]);
        const { size } = await stat(file);
        res.setHeader('content-type', 'application/octet-stream');
        res.setHeader('content-length', String(size));
        createReadStream(file).pipe(res);
      });
    },
    async writeBundle() {
      await mkdir(join(outDir, 'example'), { recursive: true });
      for (const f of EXAMPLE_FILES) await copyFile(join(EXAMPLE_DIR, f), join(outDir, 'example', f));
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [exampleData()],
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  esbuild: { jsx: 'automatic' },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1' },
});
