// The input units of a one-input network (sine, the worked example) over x: each unit's value —
// its feature x, x² or sin x — at every x of the fitted curve's grid, as the server computes it
// (POST forward with the grid as inputs: the trace's layer 0, a₀), for the network picture to draw
// inside each input unit as a small curve (render/unit-curves.js). A feature has no parameters,
// so the curves are asked for once per network and kept.
//
//   new InputCurves(session, show)   show({inputCurves}, state): hands them to the network view
//   curves.load(state, grid) → Promise   asks for them unless this network's are kept
//   curves.draw(state)                     shows this network's curves, once they are kept

import * as api from "./api.js";

export class InputCurves {
  constructor(session, show) {
    Object.assign(this, { session, show });
    this.id = null; // the network whose curves are kept
    this.curves = null; // [unit] → [value at each x of the grid]
  }

  async load(state, grid) {
    if (this.id === state.id) return;
    const trace = await this.session.read((id) => api.forward(id, { inputs: grid }), state.id);
    if (!trace) return; // another network took its place meanwhile
    const a0 = trace.inputs; // (grid, n_0)
    this.curves = a0[0].map((_, u) => a0.map((row) => row[u]));
    this.id = state.id;
  }

  draw(state) {
    if (this.id === state.id) this.show({ inputCurves: this.curves }, state);
  }
}
