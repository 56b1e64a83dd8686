// The "your own data" part under the picture of the samples (the boundary of a 2-input network,
// the fitted curve of a 1-input one; it moves to the panel shown): what a click on the picture adds
// (a class, or a value for a regression on the plane; on the fitted curve the height clicked),
// CSV pasted or uploaded (csv.js; a bad line is named by its number), the samples downloaded as
// JSON (the API's `data` body) or CSV, and — while the network has own data — the notice that a
// link cannot carry it, with the export file to give instead. Edits on the picture are
// data-editor.js's; both send the data with PATCH (no new network is created).

import { dataIn, labelsOf, parseCsv, toCsv } from "./csv.js";
import { DataEditor } from "./data-editor.js";
import { el, replaceChildren, setHidden } from "./elements.js";
import { downloadExport } from "./keeper.js";
import { activationRange } from "./options.js";
import { t } from "./strings.js";

export class DataPanel {
  /**
   * @param {HTMLElement} root
   * @param {object} parts
   * @param {import("./session.js").Session} parts.session
   * @param {import("./keeper.js").Keeper} parts.keeper
   * @param {import("./banner.js").Messages} parts.messages
   * @param {object} parts.options  GET /options
   * @param {{boundary: import("./charts/boundary.js").BoundaryChart, fit: import("./charts/fit.js").FitChart}} parts.charts
   * @param {{boundary: HTMLElement, fit: HTMLElement}} parts.homes  where the tools go under each picture
   * @param {(state: object) => Promise<object|null>} parts.reload  fetch and draw the server's samples
   */
  constructor(root, { session, keeper, messages, options, charts, homes, reload }) {
    Object.assign(this, { root, session, keeper, messages, options, charts, homes });
    this.shape = null; // the picker's network shape: "outputs|range|picture"
    this.urls = [];
    this.classes = [];
    this.editor = new DataEditor({
      session, messages, reload, charts: [charts.boundary, charts.fit],
      editing: () => !this.body.hidden,
      newTarget: () => this.newTarget(),
      heightIsTarget: () => this.classes.length === 0, // a class is the picker's, a value the height's
      onChanged: () => keeper.fetchBase(), // exports (and the copy kept in this browser) carry the new data
    });

    this.picker = el("fieldset", { class: "data-picker", id: "data-picker" });
    this.csvText = el("textarea", { id: "data-csv-text", rows: 4, spellcheck: "false" });
    this.csvFile = el("input", { type: "file", id: "data-csv-file", class: "visually-hidden",
      accept: ".csv,text/csv,text/plain", "aria-label": t("dataCsvUpload") });
    this.csvFile.addEventListener("change", () => this.readFile());
    this.csvError = el("p", { class: "data-csv-error", id: "data-csv-error", role: "alert" });
    this.csvError.hidden = true;
    const use = button("data-csv-use", t("dataCsvUse"), () => this.useCsv(this.csvText.value));
    this.csvBox = el("div", { class: "data-csv", id: "data-csv" },
      el("label", { for: "data-csv-text", class: "hint" }, t("dataCsvHelp")), this.csvText, use);
    this.csvBox.hidden = true;
    const paste = button("data-csv-toggle", t("dataCsvPaste"), () => this.csvBox.hidden = !this.csvBox.hidden);
    const upload = button("data-csv-upload", t("dataCsvUpload"), () => this.csvFile.click());
    this.downloads = el("p", { class: "data-downloads", id: "data-downloads" });
    this.help = el("p", { class: "hint", id: "data-edit-help" }, t("dataEditHelp"));
    this.csvHelp = this.csvBox.querySelector("label");
    this.body = el("div", { class: "data-body", id: "data-body" }, this.help, this.picker,
      el("div", { class: "data-csv-actions" }, paste, upload, this.csvFile), this.csvBox, this.csvError, this.downloads);
    this.body.hidden = true;
    this.toggle = button("data-edit-toggle", t("dataEdit"), () => this.open(this.body.hidden));
    this.toggle.setAttribute("aria-expanded", "false");
    this.toggle.setAttribute("aria-controls", "data-body");
    const exportButton = button("data-export", t("dataExportFile"), () => this.exportFile());
    this.notice = el("p", { class: "data-link-notice", id: "data-link-notice" }, t("dataLinkNotice"), " ", exportButton);
    this.notice.hidden = true;
    replaceChildren(root, this.toggle, this.notice, this.body);

    session.addEventListener("state", ({ detail }) => this.follow(detail.state));
  }

  /** Open (or close) the editing tools; the picture takes clicks only while they are open. */
  open(on) {
    this.body.hidden = !on;
    this.toggle.setAttribute("aria-expanded", String(on));
    for (const chart of Object.values(this.charts)) {
      chart.canvas.classList.toggle("editable", on && chart === this.editor.chart);
    }
  }

  /** Put the tools under the picture this network shows (the fitted curve for one input, else the boundary). */
  place(state) {
    const picture = state.extent.length === 1 ? "fit" : "boundary";
    if (this.root.parentElement === this.homes[picture]) return picture;
    this.homes[picture].append(this.root);
    this.editor.use(this.charts[picture]);
    this.help.textContent = t(picture === "fit" ? "dataEditHelpCurve" : "dataEditHelp");
    this.csvHelp.textContent = t(picture === "fit" ? "dataCsvHelpCurve" : "dataCsvHelp");
    this.open(!this.body.hidden);
    return picture;
  }

  /** The network's output layer: how many outputs, and its activation's range (null: unbounded). */
  outputs(state = this.session.state) {
    const sizes = state.spec.layer_sizes;
    return { nOutputs: sizes[sizes.length - 1], range: activationRange(this.options, state.spec.output_activation) };
  }

  /** Keep the picker, the notice and the downloads to the current network. */
  follow(state) {
    setHidden(this.notice, state.spec.dataset !== null && state.spec.dataset !== undefined);
    const picture = this.place(state);
    const { nOutputs, range } = this.outputs(state);
    const shape = `${nOutputs}|${range}|${picture}`;
    if (shape === this.shape) return;
    this.shape = shape;
    const { classes } = labelsOf(nOutputs, range);
    this.classes = classes;
    const legend = el("legend", {}, t("dataAddLegend"));
    this.picker.hidden = classes.length === 0 && picture === "fit"; // there a click's height is the value
    if (classes.length === 0) {
      this.value = el("input", { type: "number", id: "data-value", value: "1", step: "0.1" });
      replaceChildren(this.picker, legend, el("label", { for: "data-value" }, t("dataValue")), this.value);
      return;
    }
    this.value = null;
    const binary = nOutputs === 1;
    const names = binary ? [t("keyClassNeg"), t("keyClassPos")] : classes.map((_, k) => t("classN", { k: k + 1 }));
    const look = (k) => (binary ? ["neg", "pos"][k] : `class-${k % 3}`); // as the picture's key
    replaceChildren(this.picker, legend, classes.map((_, k) => el("label", { class: `data-class ${look(k)}` },
      el("input", { type: "radio", name: "data-class", value: String(k), id: `data-class-${k}`, checked: k === 0 }),
      el("span", { class: "swatch", "aria-hidden": "true" }), names[k])));
  }

  /** The target of a sample added now: the chosen class's, or the value typed. */
  newTarget() {
    if (this.value) {
      const v = Number(this.value.value);
      return [Number.isFinite(v) && this.value.value.trim() !== "" ? v : 0];
    }
    const chosen = this.picker.querySelector("input[name=data-class]:checked");
    return [...this.classes[Number(chosen?.value ?? 0)]];
  }

  /** The samples the server holds, as drawn (GET /data): the editor's and the downloads' copy. */
  setPoints(points) {
    this.editor.setPoints(points);
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    if (!points) {
      replaceChildren(this.downloads);
      return;
    }
    const data = dataIn(points.train, points.test);
    const link = (text, type, format) => {
      const url = URL.createObjectURL(new Blob([text], { type }));
      this.urls.push(url);
      return el("a", { href: url, download: `data.${format}`, class: "data-download", "data-format": format,
        "aria-label": t("dataDownloadAs", { format: format.toUpperCase() }) }, format.toUpperCase());
    };
    replaceChildren(this.downloads, t("dataDownload"), " ",
      link(JSON.stringify(data), "application/json", "json"), " · ",
      link(toCsv(data, this.outputs()), "text/csv", "csv"));
  }

  /**
   * A new network's creation body, with the current own data in place of the dataset when the
   * network has own data and the change keeps its dataset (choosing another dataset drops it).
   */
  carried(body, sameDataset) {
    const state = this.session.state;
    const points = this.editor.points;
    if (!sameDataset || !state || state.spec.dataset || !points) return body;
    return { ...body, dataset: null, data: dataIn(points.train, points.test) };
  }

  async readFile() {
    const file = this.csvFile.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      this.csvText.value = text;
      await this.useCsv(text);
    } finally {
      this.csvFile.value = ""; // the same file can be chosen again
    }
  }

  /** Parse the CSV; a bad line is shown (by its number) and nothing is sent; else it becomes the data. */
  async useCsv(text) {
    const nInputs = this.session.state.extent.length; // the raw inputs (the input units may be features of them)
    const parsed = parseCsv(text, { nInputs, ...this.outputs(), maxSamples: this.options.limits.max_samples });
    this.csvError.hidden = !parsed.error;
    this.csvError.textContent = parsed.error ? t(parsed.error.key, parsed.error.params) : "";
    if (parsed.error) return;
    const { data } = parsed;
    this.editor.setPoints({ train: { inputs: data.inputs, targets: data.targets },
      test: { inputs: data.test_inputs ?? [], targets: data.test_targets ?? [] } });
    await this.editor.send();
  }

  async exportFile() {
    try {
      downloadExport(await this.session.exportNow());
    } catch (error) {
      this.messages.error(t("errorTitleExport"), error);
    }
  }
}

function button(id, text, onClick) {
  const node = el("button", { type: "button", class: "tool quiet", id }, text);
  node.addEventListener("click", onClick);
  return node;
}
