// PowerShell's syntax, checked by an independent parser: tree-sitter-powershell (loaded by
// web-tree-sitter from its .wasm; no native build). Reads a JSON array of {"name", "text"}
// on stdin; prints one JSON line per document: its name, how many nodes the tree has, and
// every ERROR or MISSING node (kind, row, column, the text around it). Exits 1 when any
// document has one. A syntax check only: the grammar is not PowerShell itself (it lacks
// `.Where{}` and does not treat U+2018..U+201B as quotes), and nothing here runs the code.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Parser, Language } from "web-tree-sitter";

const require = createRequire(import.meta.url);
const wasm = require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm");

await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(wasm));

const docs = JSON.parse(readFileSync(0, "utf8"));
let bad = 0;
for (const { name, text } of docs) {
  const tree = parser.parse(text);
  const problems = [];
  let nodes = 0;
  const walk = (node) => {
    nodes++;
    if (node.type === "ERROR" || node.isMissing) {
      const line = text.split("\n")[node.startPosition.row] ?? "";
      problems.push({
        kind: node.isMissing ? `MISSING ${node.type}` : "ERROR",
        row: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        line: line.slice(0, 200),
      });
    }
    for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  if (problems.length) bad++;
  console.log(JSON.stringify({ name, nodes, problems }));
  tree.delete();
}
process.exit(bad ? 1 : 0);
