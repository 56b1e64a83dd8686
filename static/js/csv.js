// Own data as CSV text and back: one sample a line, `x1, x2, …, label` and optionally `train` or
// `test` last (missing: train); a header line is optional; blank lines and lines starting with #
// are skipped; commas, semicolons or tabs separate (訓練 and テスト also name the sets). What a label
// means comes from the network's output layer (labelsOf): the class number 1, 2, … (as the picture's
// key names the classes) for several outputs (one-hot targets), else the target value itself. Pure
// functions: no page, no server.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SEPARATOR = /[,;\t]/;
const SETS = { train: "train", test: "test", 訓練: "train", テスト: "test" };

/**
 * What a label is for a network with `nOutputs` outputs whose output activation spans `range`
 * ([lo, hi], or null when unbounded): {classes, toTarget(label) → target row or null, ofTarget(row)}.
 * Several outputs: class k (1 … n) is the one-hot row with hi at k and lo elsewhere (lo, hi = 0, 1
 * unbounded); `classes` lists their target rows in order.
 * One output: classes are the range's two ends when it is bounded (binary), none when it is not
 * (a value); the label is the target itself either way.
 */
export function labelsOf(nOutputs, range) {
  const [lo, hi] = range ?? [0, 1];
  if (nOutputs > 1) {
    return {
      classes: Array.from({ length: nOutputs }, (_, k) => Array.from({ length: nOutputs }, (_, j) => (j === k ? hi : lo))),
      toTarget: (label) => (Number.isInteger(label) && label >= 1 && label <= nOutputs
        ? Array.from({ length: nOutputs }, (_, j) => (j === label - 1 ? hi : lo)) : null),
      ofTarget: (row) => row.indexOf(Math.max(...row)) + 1,
    };
  }
  return {
    classes: range ? [[lo], [hi]] : [],
    toTarget: (label) => [label],
    ofTarget: (row) => row[0],
  };
}

/**
 * Parse CSV text into the API's `data` ({inputs, targets} and test_inputs, test_targets when any
 * line says test), or an error {key, params} (a key of the string tables, with the line number).
 */
export function parseCsv(text, { nInputs, nOutputs, range, maxSamples }) {
  const labels = labelsOf(nOutputs, range);
  const parts = { train: { inputs: [], targets: [] }, test: { inputs: [], targets: [] } };
  const columns = [...Array.from({ length: nInputs }, (_, i) => `x${i + 1}`), "label"].join(", ");
  const lines = text.split(/\r\n|\r|\n/);
  let seen = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line || line.startsWith("#")) continue;
    const fields = line.split(SEPARATOR).map((f) => f.trim());
    const where = { line: n + 1 };
    seen += 1;
    if (seen === 1 && !fields.some((f) => NUMBER.test(f))) continue; // a header: no number in it
    if (fields.length !== nInputs + 1 && fields.length !== nInputs + 2) {
      return fail("csvFields", { ...where, found: fields.length, expected: nInputs + 1, columns });
    }
    const bad = fields.slice(0, nInputs + 1).find((f) => !NUMBER.test(f));
    if (bad !== undefined) return fail("csvNumber", { ...where, value: bad });
    const values = fields.slice(0, nInputs + 1).map(Number);
    const target = labels.toTarget(values[nInputs]);
    if (!target) return fail("csvClass", { ...where, value: fields[nInputs], last: nOutputs });
    const set = SETS[(fields[nInputs + 1] ?? "train").toLowerCase()];
    if (!set) return fail("csvSet", { ...where, value: fields[nInputs + 1] });
    parts[set].inputs.push(values.slice(0, nInputs));
    parts[set].targets.push(target);
  }
  const count = parts.train.inputs.length + parts.test.inputs.length;
  if (parts.train.inputs.length === 0) return fail("csvNoTraining", {});
  if (maxSamples && count > maxSamples) return fail("csvTooMany", { count, max: maxSamples });
  return { data: dataIn(parts.train, parts.test) };
}

function fail(key, params) {
  return { error: { key, params } };
}

/** The API's `data` body from the two parts (GET /data's `train` and `test`). */
export function dataIn(train, test) {
  const data = { inputs: train.inputs, targets: train.targets };
  if (test?.inputs.length) Object.assign(data, { test_inputs: test.inputs, test_targets: test.targets });
  return data;
}

/** The samples as CSV: a header `x1,…,label,set`, then one line per sample (training ones first). */
export function toCsv(data, { nOutputs, range }) {
  const labels = labelsOf(nOutputs, range);
  const nInputs = data.inputs[0]?.length ?? 0;
  const header = [...Array.from({ length: nInputs }, (_, i) => `x${i + 1}`), "label", "set"].join(",");
  const rows = (inputs, targets, set) => (inputs ?? []).map((x, i) => [...x, labels.ofTarget(targets[i]), set].join(","));
  return [header, ...rows(data.inputs, data.targets, "train"), ...rows(data.test_inputs, data.test_targets, "test")]
    .join("\n") + "\n";
}
