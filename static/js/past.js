// The pictures of an earlier state that was never drawn (it went by too fast): the server keeps
// only the latest state of a network, so that state is imported as a short-lived network of its
// own (POST /networks/import), asked for its evaluation and its picture, and deleted again.
// The learner's own network is never touched.

import * as api from "./api.js";

/**
 * @param {object} doc  an export document of the earlier state
 * @param {{boundary: {resolution: number, hidden_resolution: number}|null, grid: number[][]|null}} want
 * @returns {Promise<{evaluation: object, boundary?: object, grid?: number[][], outputs?: number[][]}>}
 */
export async function pictureOfPast(doc, { boundary, grid }) {
  const copy = await api.importNetwork(doc);
  try {
    const picture = { evaluation: await api.getEvaluation(copy.id) };
    if (boundary) picture.boundary = await api.getBoundary(copy.id, boundary.resolution, boundary.hidden_resolution);
    if (grid) {
      picture.grid = grid;
      picture.outputs = (await api.predict(copy.id, grid)).outputs;
    }
    return picture;
  } finally {
    api.deleteNetwork(copy.id).catch(() => {}); // it expires on its own if this fails
  }
}
