// The race page's entry module: reads the view from the URL hash (#view=race, vanishing,
// exploding or surface), builds it, and wires the Play/Pause and Restart buttons and the step
// counter. Each view documents what it shows.

import * as api from "./api.js";
import { startPage } from "./banner.js";
import { byId } from "./elements.js";
import { formatCount } from "./format.js";
import { LessonView } from "./race/lessons.js";
import { RaceView } from "./race/race-view.js";
import { SurfaceView } from "./race/surface-view.js";
import { t } from "./strings.js";

const VIEWS = { race: RaceView, vanishing: LessonView, exploding: LessonView, surface: SurfaceView };

let current = null; // {view, runner}

async function open(options, messages) {
  current?.runner?.pause();
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const name = params.get("view") in VIEWS ? params.get("view") : "race";
  for (const tab of document.querySelectorAll(".race-tabs a")) {
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  const play = byId("race-play");
  const counter = byId("race-step");
  counter.textContent = "0";
  play.disabled = true;
  delete document.documentElement.dataset.ready;
  const View = VIEWS[name];
  const view = new View({ name, params, options, messages, intro: byId("race-intro"), stage: byId("race-stage"),
    restart: (hash) => (location.hash.slice(1) === hash ? open(options, messages) : (location.hash = hash)) });
  const mine = { view, runner: null };
  current = mine;
  try {
    mine.runner = await view.start();
  } catch (error) {
    messages.error(t("errorTitleCreate"), error);
    return;
  }
  if (current !== mine) return; // another view was opened meanwhile
  const runner = mine.runner;
  const show = () => {
    play.textContent = runner.playing ? t("pause") : t("play");
    play.setAttribute("aria-pressed", String(runner.playing));
    play.classList.toggle("playing", runner.playing);
    play.dataset.busy = String(Boolean(runner.inFlight)); // for the browser tests: a call is in flight
  };
  runner.addEventListener("change", show);
  runner.addEventListener("result", ({ detail }) => {
    const step = detail.result?.step ?? 0;
    if (step > Number(counter.dataset.step ?? 0) || !counter.dataset.step) {
      counter.dataset.step = String(step);
      counter.textContent = formatCount(step);
    }
  });
  delete counter.dataset.step;
  show();
  play.disabled = false;
  if (name !== "surface") await runner.once(1); // the first step's gradients before anyone presses Play
  document.documentElement.dataset.ready = "true"; // for the browser tests
}

async function main() {
  const { messages, options } = await startPage(api.getOptions);
  if (!options) return;
  byId("race-play").addEventListener("click", () => {
    const runner = current?.runner;
    if (runner) (runner.playing ? runner.pause() : runner.play());
  });
  byId("race-reset").addEventListener("click", () => open(options, messages));
  window.addEventListener("hashchange", () => open(options, messages));
  await open(options, messages);
}

main();
