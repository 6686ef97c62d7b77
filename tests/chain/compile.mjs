#!/usr/bin/env node
// Compiles the Solidity contracts the chain tests deploy and writes one JSON artifact per
// contract: <outDir>/<Name>.json = {contractName, abi, bytecode, deployedBytecode, compiler, sourceHash}.
//
//   node tests/chain/compile.mjs <outDir>
//
// - Morpho Blue 1.0.0 (Morpho + ERC20Mock, OracleMock, IrmMock) from
//   node_modules/@morpho-org/morpho-blue/src with solc-js 0.8.19 (npm alias solc-0.8.19),
//   via-IR, optimizer runs 999999, evm version paris (see shared/CHAIN.md).
// - contracts/Multicall3.sol (our own implementation of the public interface) with solc-js 0.8.37.
//
// Cache: <outDir>/.source-hash holds the SHA-256 of every input source, the compiler versions,
// the settings and this script. When it matches (and every artifact exists) nothing is compiled.
// Exits non-zero with the failing file and compiler message on any compiler error.
// Only Node built-ins are used; modules resolve from tests/chain/node_modules.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const scriptPath = fileURLToPath(import.meta.url);
const chainDir = path.dirname(scriptPath);
const require = createRequire(path.join(chainDir, "package.json")); // resolves tests/chain/node_modules

function fail(message) {
  process.stderr.write(`compile.mjs: ${message}\n`);
  process.exit(1);
}

// ---------- inputs ----------

function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail(`npm package '${name}' not found under ${path.join(chainDir, "node_modules")}; run 'npm ci' in ${chainDir}`);
  }
}

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(packageDir(name), "package.json"), "utf8")).version;
}

/** All .sol files under dir, as sorted paths relative to root (forward slashes). */
function solFiles(root, dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".sol")) out.push(path.relative(root, full).split(path.sep).join("/"));
    }
  };
  walk(path.join(root, dir));
  return out.sort();
}

const morphoRoot = packageDir("@morpho-org/morpho-blue");
const contractsRoot = path.join(chainDir, "contracts");

/**
 * One compilation job per compiler; the quick one first, so its errors show without waiting for Morpho.
 * `sources` are the entry files; their imports are read from `root` by the import callback.
 */
const jobs = [
  {
    name: "Multicall3",
    solcPackage: "solc",
    root: contractsRoot,
    hashDir: ".",
    sources: ["Multicall3.sol"],
    contracts: [["Multicall3.sol", "Multicall3"]],
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "paris", // no PUSH0 etc.: runs on anvil's default (latest) hardfork and on any mainnet fork
    },
  },
  {
    name: "Morpho Blue",
    solcPackage: "solc-0.8.19",
    root: morphoRoot,
    hashDir: "src", // every file an import can reach
    sources: ["src/Morpho.sol", "src/mocks/ERC20Mock.sol", "src/mocks/OracleMock.sol", "src/mocks/IrmMock.sol"],
    contracts: [
      ["src/Morpho.sol", "Morpho"],
      ["src/mocks/ERC20Mock.sol", "ERC20Mock"],
      ["src/mocks/OracleMock.sol", "OracleMock"],
      ["src/mocks/IrmMock.sol", "IrmMock"],
    ],
    settings: {
      viaIR: true,
      optimizer: { enabled: true, runs: 999999 },
      evmVersion: "paris",
    },
  },
];

const outputs = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"];
for (const job of jobs) {
  job.settings.outputSelection = Object.fromEntries(job.sources.map((s) => [s, { "*": outputs }]));
  job.settings.metadata = { bytecodeHash: "ipfs" }; // solc default, stated so the hash pins it
  job.version = packageVersion(job.solcPackage);
  job.hashFiles = solFiles(job.root, job.hashDir);
}

// ---------- cache key ----------

const outDirArg = process.argv[2];
if (!outDirArg || process.argv.length > 3) fail("usage: node tests/chain/compile.mjs <outDir>");
const outDir = path.resolve(outDirArg);
const hashFile = path.join(outDir, ".source-hash");

const hasher = createHash("sha256");
const feed = (label, data) => {
  hasher.update(`${label}\0${Buffer.byteLength(data)}\0`);
  hasher.update(data);
};
feed("script", fs.readFileSync(scriptPath));
for (const job of jobs) {
  feed("job", job.name);
  feed("compiler", `${job.solcPackage}@${job.version}`);
  feed("settings", JSON.stringify(job.settings));
  feed("entries", JSON.stringify(job.sources));
  for (const f of job.hashFiles) feed(`source:${f}`, fs.readFileSync(path.join(job.root, f)));
}
const sourceHash = hasher.digest("hex");

const artifactNames = jobs.flatMap((j) => j.contracts.map(([, name]) => name));
const cached =
  fs.existsSync(hashFile) &&
  fs.readFileSync(hashFile, "utf8").trim() === sourceHash &&
  artifactNames.every((n) => fs.existsSync(path.join(outDir, `${n}.json`)));
if (cached) {
  process.stdout.write(`compile.mjs: up to date (${sourceHash.slice(0, 12)}) in ${outDir}\n`);
  process.exit(0);
}

// ---------- compile ----------

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function compile(job) {
  const solc = require(job.solcPackage); // loaded only on a cache miss (takes a moment)
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(
      job.sources.map((s) => [s, { content: fs.readFileSync(path.join(job.root, s), "utf8") }]),
    ),
    settings: job.settings,
  };
  const rootResolved = path.resolve(job.root);
  const findImports = (importPath) => {
    const full = path.resolve(rootResolved, importPath);
    if (full !== rootResolved && !full.startsWith(rootResolved + path.sep))
      return { error: `import '${importPath}' escapes ${rootResolved}` };
    try {
      return { contents: fs.readFileSync(full, "utf8") };
    } catch (e) {
      return { error: `import '${importPath}' not found (${full}): ${e.code ?? e.message}` };
    }
  };

  const started = Date.now();
  let output;
  try {
    output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  } catch (e) {
    fail(`${job.name}: solc ${job.version} crashed: ${e.stack ?? e}`);
  }
  const compilerVersion = solc.version();

  const problems = output.errors ?? [];
  const errors = problems.filter((p) => p.severity === "error");
  for (const w of problems.filter((p) => p.severity !== "error"))
    process.stderr.write(`compile.mjs: ${job.name}: ${w.severity}: ${w.formattedMessage ?? w.message}\n`);
  if (errors.length > 0) {
    const text = errors
      .map((e) => {
        const where = e.sourceLocation?.file ? path.join(job.root, e.sourceLocation.file) : "(no file)";
        const msg = (e.formattedMessage ?? `${e.type}: ${e.message}`).trim().replace(/\n/g, "\n    ");
        return `  in ${where}:\n    ${msg}`;
      })
      .join("\n");
    fail(`${job.name}: solc ${compilerVersion} reported ${errors.length} error(s):\n${text}`);
  }

  const artifacts = [];
  for (const [file, name] of job.contracts) {
    const c = output.contracts?.[file]?.[name];
    if (!c) fail(`${job.name}: no output for ${name} in ${path.join(job.root, file)}`);
    const bytecode = c.evm?.bytecode?.object;
    const deployed = c.evm?.deployedBytecode?.object;
    if (!bytecode || !deployed) fail(`${job.name}: ${name} (${path.join(job.root, file)}) has no bytecode (abstract?)`);
    if (bytecode.includes("__$")) fail(`${job.name}: ${name} needs library linking, which this script does not do`);
    artifacts.push({
      contractName: name,
      abi: c.abi,
      bytecode: `0x${bytecode}`,
      deployedBytecode: `0x${deployed}`,
      compiler: compilerVersion,
      sourceHash,
    });
  }
  process.stdout.write(
    `compile.mjs: ${job.name}: solc ${compilerVersion}, ${artifacts.length} contract(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return artifacts;
}

const all = jobs.flatMap(compile); // compile everything before writing anything
fs.mkdirSync(outDir, { recursive: true });
for (const a of all) writeAtomic(path.join(outDir, `${a.contractName}.json`), JSON.stringify(a, null, 2) + "\n");
writeAtomic(hashFile, sourceHash + "\n"); // last: a crash before this line leaves a stale hash, so the next run recompiles
process.stdout.write(`compile.mjs: wrote ${all.map((a) => a.contractName).join(", ")} to ${outDir}\n`);
