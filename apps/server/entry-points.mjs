// The server's bundle entry points: main.js and one file per worker thread, named like its source
// (platform/threads.ts loads `<name>.js` next to main.js). Used by build.mjs and the benchmarks' bundler.
export const entryPoints = {
  main: 'src/main.ts',
  cli: 'src/cli.ts',
  'classifier.train.thread': 'src/modules/ai/classifier/classifier.train.thread.ts',
  'knowledge.parse.thread': 'src/modules/knowledge/parsing/knowledge.parse.thread.ts',
  'ai.analysis.thread': 'src/modules/ai/ai.analysis.thread.ts',
};
