// The input-feature toggles of the Network settings, as in TensorFlow Playground: one checkbox
// per feature the dataset offers (GET /options → input_features), labelled x₁, x₂, x₁², x₂², x₁x₂,
// sin x₁, sin x₂ (x, x², sin x for a one-input set); each feature ticked is an input unit.
// A change proposes `{features}` (a new network); the last ticked box cannot be cleared.
//
//   createFeatureToggles(options, propose) → {element, render(config)}

import { el, replaceChildren } from "./elements.js";
import { datasetOf } from "./options.js";
import { chosenFeatures, featureLabel, fitFeatures, offeredFeatures } from "./features.js";
import { t } from "./strings.js";

export function createFeatureToggles(options, propose) {
  const title = el("span", { class: "features-title", id: "features-title" });
  const boxes = el("div", { class: "feature-boxes" });
  const element = el("div", { class: "features", id: "features", role: "group", "aria-labelledby": "features-title" },
    title, boxes);
  let config = null;

  function toggle(name, on) {
    const now = chosenFeatures(config, options);
    const next = on ? [...now, name] : now.filter((n) => n !== name);
    if (next.length === 0) return render(config); // a network needs at least one input unit
    return propose({ features: fitFeatures(next, options, config.dataset) });
  }

  function render(next) {
    config = next;
    const dataset = datasetOf(options, config.dataset);
    const chosen = chosenFeatures(config, options);
    const offered = offeredFeatures(options, dataset);
    element.hidden = offered.length === 0;
    title.textContent = t("inputFeatures");
    const focused = document.activeElement?.dataset?.feature; // keep the keyboard on the box pressed
    replaceChildren(boxes, offered.map((f) => {
      const id = `feature-${f.name}`;
      const input = el("input", { type: "checkbox", id, "data-feature": f.name });
      input.checked = chosen.includes(f.name);
      input.addEventListener("change", () => toggle(f.name, input.checked));
      return el("span", { class: "feature" }, input,
        el("label", { for: id, title: f.formula, class: "feature-label" }, featureLabel(f, dataset)));
    }));
    if (focused) boxes.querySelector(`[data-feature="${focused}"]`)?.focus();
  }

  return { element, render };
}
