// Keyboard shortcuts of the page: Space plays or pauses, → shows the next phase (taking a
// step after Update), ← the previous one. Keys typed into a field belong to the field, a
// focused button keeps its own Space, and the network picture uses the arrows itself.

import { isTyping } from "./elements.js";

export function bindKeys({ player, stepper, picture }) {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (picture.contains(event.target)) return;
    if (event.key === " " && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      player.toggle();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      stepper.nextPhase();
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      stepper.prevPhase();
    }
  });
}
