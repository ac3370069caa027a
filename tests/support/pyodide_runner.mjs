// Run presses of xlwings Lite scripts in Pyodide under node: one Pyodide for every press.
// node pyodide_runner.mjs PYODIDE_DIR WHEELS_DIR LITE_PRESS_PY REQUEST_JSON RESULT_JSON
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, pressPy, requestPath, resultPath] = process.argv.slice(2);
const started = performance.now();
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const name of fs.readdirSync(wheelsDir).filter((n) => n.endsWith(".whl")).sort()) {
  const bytes = fs.readFileSync(path.join(wheelsDir, name));
  pyodide.unpackArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), "wheel", {
    extractDir: sitePackages,
  });
}
pyodide.FS.writeFile("/home/pyodide/lite_press.py", fs.readFileSync(pressPy, "utf8"));
await pyodide.runPythonAsync(
  "import sys; sys.path.insert(0, '/home/pyodide'); import lite_press, xlscorecard.excel.buttons, xlwings.server",
);
const ready = performance.now();
const runJobs = pyodide.globals.get("lite_press").run_jobs;
const results = await runJobs(fs.readFileSync(requestPath, "utf8"));
const facts = pyodide.runPython(
  "import sys, os, getpass, json; json.dumps({'platform': sys.platform, 'link': hasattr(os, 'link'), " +
    "'login': getpass.getuser(), 'files': sorted(os.path.relpath(os.path.join(d, f), '/data') " +
    "for d, _, fs in os.walk('/data') for f in fs)})",
);
// Python's JSON is written as it is: JSON.parse would turn 1321.0 into 1321.
fs.writeFileSync(
  resultPath,
  `{"results": ${results}, "facts": ${facts}, "cold_start": ${(ready - started) / 1000}}`,
);
