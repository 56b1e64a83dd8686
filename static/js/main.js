// The entry module: builds each part of the page and wires them together. No logic of its
// own beyond the wiring: each module documents what it does.

import * as api from "./api.js";
import { BoundaryChart, NeuronStrip } from "./charts/boundary.js";
import { FitChart } from "./charts/fit.js";
import { followSession, GradientChart } from "./charts/gradients.js";
import { LossChart } from "./charts/loss.js";
import { Configurator } from "./configure.js";
import { Controls } from "./controls.js";
import { DataPanel } from "./data-panel.js";
import { deltaKnown } from "./animate.js";
import { Explanations } from "./explain.js";
import { Explorer } from "./explorer.js";
import { unitTerms } from "./inspector-terms.js";
import { Lesson } from "./charts/lesson.js";
import { byId } from "./elements.js";
import { applyHidden, bindClassroom } from "./classroom.js";
import { startPage } from "./banner.js";
import { HealthMarks } from "./health-marks.js";
import { StepHistory } from "./history.js";
import { bindKeys } from "./keys.js";
import { Pictures } from "./pictures.js";
import { FrameQueue } from "./play-frames.js";
import { Player, renderCounter } from "./player.js";
import { Rewinder } from "./rewind.js";
import { createNetworkView } from "./render/network.js";
import { followUnit } from "./render/network-maps.js";
import { Session } from "./session.js";
import { Stepper } from "./stepper.js";
import { bindFileActions, Keeper } from "./keeper.js";
import { createParamEditor } from "./param-editor.js";
import { Timeline } from "./timeline.js";

async function main() {
  applyHidden(); // a classroom link's hidden parts, before anything is drawn
  const { messages, options } = await startPage(api.getOptions);
  if (!options) return;

  const session = new Session();
  const keeper = new Keeper(session, messages);
  session.recover = () => keeper.current() ?? keeper.load(); // the latest state this page saw

  const explanations = new Explanations(session, () => {
    view.explained();
    explorer.refresh();
    lesson.refresh();
  });
  const view = createNetworkView(byId("network"), {
    legend: byId("legend"), options,
    onSelect: (ref) => explorer.select(ref),
    derivativeOf: (trace, k, u) => explanations.derivativeOf(trace, k, u),
    // A unit's f′(z) and terms w·δ, once the phase shown has formed its δ.
    inspectorExtra: (ref, ctx) => (ref.kind === "node" && deltaKnown(ctx.phase, ref.layer)
      ? unitTerms(explanations.get("unit", ctx.trace, { layer: ref.layer, unit: ref.unit }), ref, ctx.sizes) : null),
    // The pinned weight or bias set by hand; the picture then shows the network as it is now.
    inspectorEditor: createParamEditor({ session, messages, onEdited: () => stepper.leave() }),
  });
  const explorer = new Explorer(byId("explorer"), { explanations, session, view, options });
  const lesson = new Lesson(byId("lesson"), { explanations, panel: byId("panel-lesson"), options });
  const pictures = new Pictures({
    session, messages,
    loss: new LossChart(byId("loss")),
    boundary: new BoundaryChart(byId("boundary"), options),
    neurons: new NeuronStrip(byId("neurons"), options),
    fit: new FitChart(byId("fit"), options),
    panels: { boundary: byId("panel-boundary"), fit: byId("panel-fit"), neurons: byId("neurons") },
    neuronMaps: (boundary, state) => view.setNeuronMaps?.(boundary, state) ?? false,
    exportFor: (state) => keeper.exportFor(state),
  });
  const dataPanel = new DataPanel(byId("data-editor"), {
    session, keeper, messages, options,
    charts: { boundary: pictures.boundary, fit: pictures.fit },
    homes: { boundary: byId("panel-boundary"), fit: byId("panel-fit") },
    reload: (state) => pictures.loadSamples(state, { keep: true }),
  });
  pictures.onSamples = (points) => dataPanel.setPoints(points);
  followUnit(byId("network"), (unit) => pictures.boundary.showUnit(unit)); // a unit's map, large, while pointed at
  const gradients = new GradientChart(byId("gradients"));
  followSession(gradients, session);
  const stepper = new Stepper({
    session, view, messages, options, keeper,
    history: new StepHistory(),
    timeline: new Timeline(byId("timeline"), { onPick: (i) => stepper.goToPhase(i) }),
  });
  stepper.timeline.row.append(pictures.loss.brief); // the loss figures stay on screen at every size
  const player = new Player({
    session, messages,
    button: byId("play"), speed: byId("speed"), speedOut: byId("speed-value"),
    boundaryRequest: () => pictures.boundaryRequest(),
    beforePlay: () => stepper.beforePlay(),
  });
  const configurator = new Configurator({
    session, options, messages,
    controls: new Controls(byId("controls"), options, (next, names) => configurator.propose(next, names)),
    onRebuild: () => player.pause(),
    withData: (body, sameDataset) => dataPanel.carried(body, sameDataset),
  });

  // The newest state is drawn once per frame, however often it arrives; while playing, with the
  // gradients of the step that led to it, and the states from inside each call one per frame first.
  let drawPending = false;
  const frames = new FrameQueue();
  let lastStep = null; // the newest answer's last step: the gradients shown when no inside state waits
  const drawNow = () => {
    const frame = player.playing ? frames.next() : null;
    const state = frame?.state ?? session.state;
    view.setState(state);
    view.setGradients(frame ? frame.lastStep : (player.playing ? lastStep : null));
    renderCounter(byId("counter"), state);
    if (!stepper.cursor) stepper.render(state);
    if (frames.waiting) drawSoon();
  };
  const drawSoon = () => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      drawNow();
    });
  };
  session.addEventListener("trained", ({ detail }) => {
    lastStep = player.playing ? detail.result.last_step : null;
    if (player.playing) frames.add(detail.result);
    else frames.clear();
  });
  session.addEventListener("state", () => {
    if (!player.playing) {
      frames.clear();
      pictures.refresh();
    }
    drawSoon();
  });
  session.addEventListener("rebuilt", ({ detail }) => {
    if (detail.reason !== "expired") player.pause();
    stepper.rebuilt(detail.reason);
  });
  player.addEventListener("pause", () => {
    frames.clear();
    if (session.state) drawNow(); // the latest state at once, whichever inside state was drawn last
    view.setGradients(null);
    stepper.paused();
    pictures.refresh();
    keeper.save.flush();
  });

  stepper.onShown = (state, reveal) => pictures.show(state, reveal);
  stepper.onPhase = (entry, phase) => {
    explorer.show(entry, phase);
    lesson.show(entry, phase);
  };

  // Buttons and keys.
  stepper.onButtons = ({ back, forward }) => {
    byId("prev-phase").disabled = !back;
    byId("next-phase").disabled = !forward;
    byId("whole-step").disabled = !forward;
  };
  byId("next-phase").addEventListener("click", () => stepper.nextPhase());
  byId("prev-phase").addEventListener("click", () => stepper.prevPhase());
  byId("whole-step").addEventListener("click", () => stepper.wholeStep());
  byId("reset").addEventListener("click", () => player.reset());
  player.addEventListener("reset", () => {
    stepper.reset();
    pictures.reset();
    gradients.clear();
  });
  bindFileActions({ session, player, messages, exportButton: byId("export"), importInput: byId("import-file") });
  bindKeys({ player, stepper, picture: byId("network") });
  bindClassroom(byId("controls"));
  new Rewinder({ session, keeper, player, messages, onRewound: () => stepper.reset() });
  new HealthMarks({ session, view, host: byId("network") });

  await configurator.start(keeper);
  document.documentElement.dataset.ready = "true"; // for the browser tests
}

main();
