// Play mode at full speed: one state of the network per animation frame, every frame a newer step.
//
// A /train call at full speed runs hundreds of steps and its answer lands about every 60 ms (the
// player's SERVER_MS), less often than the screen refreshes; a picture redrawn only when an answer
// lands would repeat itself for several frames. So each call also asks for a few states from inside it (`snapshots`:
// the weights after that step and that step's gradients, exact, from the server), and this queue
// hands the network picture one per frame, oldest first, the call's final state last, while the
// next call runs. A queue that grows longer than the newest answer's frames and one more drops its
// oldest: the picture never lags more than about one answer behind the server.
//
//   queue.add(result)     a /train answer (its snapshots, then its state and last_step)
//   queue.next()          {state, lastStep} to draw now, or null when none is waiting
//   queue.clear()         drop what is waiting (paused, reset, another network)
//   snapshotsFor(cycleMs, frameMs, most)   how many snapshots a call that lasts cycleMs should ask
//                         for, for its answer to fill that time with one new state per frame

export class FrameQueue {
  constructor() {
    this.frames = [];
  }

  add(result) {
    const final = result.state;
    const inside = (result.snapshots ?? []).map((snap) => ({
      // The final state's other fields (id, spec, task, extent) hold for every state of the call.
      state: { ...final, step: snap.step, epoch: snap.epoch, weights: snap.weights, biases: snap.biases },
      lastStep: snap.last_step,
    }));
    const frames = [...inside, { state: final, lastStep: result.last_step }];
    this.frames.push(...frames);
    const keep = frames.length + 1;
    if (this.frames.length > keep) this.frames.splice(0, this.frames.length - keep);
  }

  next() {
    return this.frames.shift() ?? null;
  }

  get waiting() {
    return this.frames.length > 0;
  }

  clear() {
    this.frames.length = 0;
  }
}

/** One state per frame for a whole call: the answer brings k snapshots and its final state, k + 1
 *  frames, at least one more than the call lasts in frames (the calls' times vary). */
export function snapshotsFor(cycleMs, frameMs, most) {
  if (!(cycleMs > 0) || !(frameMs > 0)) return 0;
  return Math.max(0, Math.min(most, Math.ceil(cycleMs / frameMs)));
}
