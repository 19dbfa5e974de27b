// Lets plain `node -r ./test/ts-register.cjs src/main.ts` run the api from its TypeScript sources
// (for tests that need the api as a separate process they can SIGKILL). Each file is transpiled
// on load by TypeScript itself with the api's compiler options, so the output is what the
// production build (tsc, CommonJS) runs; SWC's CommonJS output trips over the entities' circular
// imports in decorator metadata. No type checking. Output is cached by content in the temp dir,
// because transpiling the whole api costs a few seconds of CPU.
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const cacheDir = join(tmpdir(), 'tandem-ts-register');
mkdirSync(cacheDir, { recursive: true });
let ts = null;

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const cached = join(cacheDir, `${createHash('sha1').update(filename).update('\0').update(source).digest('hex')}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    ts ??= require('typescript');
    const compilerOptions = {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      inlineSourceMap: true,
    };
    code = ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
    // Written aside and renamed, so a process starting at the same moment never reads half a file.
    writeFileSync(`${cached}.${process.pid}`, code);
    renameSync(`${cached}.${process.pid}`, cached);
  }
  module._compile(code, filename);
};
