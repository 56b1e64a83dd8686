// Applies a proposed configuration to the server: live settings with PATCH (weights kept),
// everything else with a new network; then mirrors the configuration in the controls and in
// the URL hash. A refused change is shown and the controls go back to what is in force.

import { describeChange } from "./controls.js";
import {
  changedProperties, defaultConfig, fromHash, fromSpec, isLive, propertiesOf, sameNetwork, toCreateBody, toHash,
  toPatchBody,
} from "./url-config.js";
import { controlOfField, explainRefusal } from "./refusals.js";
import { formatList } from "./format.js";
import { t } from "./strings.js";

export class Configurator {
  constructor({ session, options, messages, controls, onRebuild, withData }) {
    this.session = session;
    this.options = options;
    this.messages = messages;
    this.controls = controls;
    this.onRebuild = onRebuild ?? (() => {});
    // (body, sameDataset) → the creation body, with the learner's own data in it when it goes on.
    this.withData = withData ?? ((body) => body);
    this.config = null;
    this.writtenHash = null;
    controls.onRefusal = (name, sentence) => (sentence
      ? messages.refused(name, t("errorTitleValue"), sentence, t("hintFix"))
      : messages.clearRefusal(name));
    window.addEventListener("hashchange", () => this.followHash());
    session.addEventListener("rebuilt", ({ detail }) => {
      this.adoptState(detail.state);
      const notice = REBUILT_NOTICES[detail.reason];
      if (notice) this.messages.info(t(notice, { step: detail.state.step }));
    });
  }

  /** The link's keys as the settings' names, "lr" → "learning rate" (an unknown key as it is written). */
  settingNames(keys) {
    const properties = propertiesOf(this.options);
    return formatList(keys.map((key) => {
      const property = properties.find((p) => p.key === key);
      return property ? t(`property_${property.name}`) : key;
    }));
  }

  /**
   * The first network of this page: the one kept in this browser if the link asks for the
   * same network (or asks for nothing), else the one the link describes, else the defaults.
   */
  async start(keeper) {
    const { config, ignored, empty } = fromHash(window.location.hash, this.options);
    if (ignored.length > 0) this.messages.info(t("noticeHashIgnored", { keys: this.settingNames(ignored) }));
    const kept = keeper.load();
    const keptConfig = kept && fromSpec(kept.spec, this.options);
    // Own data: the link still names the dataset it was made from (a link cannot carry own data).
    if (kept?.data && !kept.spec.dataset) Object.assign(keptConfig, pick(config, DATASET_PROPERTIES));
    if (kept && (empty || sameNetwork(keptConfig, config))) {
      this.config = keptConfig;
      try {
        await this.session.importExport(kept, "restored");
        const live = changedProperties(this.config, config).filter(isLive);
        if (!empty && live.length > 0) await this.propose({ ...this.config, ...pick(config, live) }, live);
        return;
      } catch (error) {
        keeper.forget();
        this.messages.error(t("errorTitleRestore"), error, t("hintRestoreFailed"));
      }
    }
    try {
      await this.create(config, "start");
    } catch (error) {
      this.messages.error(t("errorTitleCreate"), error, t("hintLinkRefused"));
      await this.create(defaultConfig(this.options), "start");
    }
  }

  /** Show and share `config` as the one in force. */
  show(config) {
    this.config = config;
    this.controls.render(config, this.session.state);
    const hash = toHash(config, this.options, window.location.hash); // the page's own keys (hide=) stay
    this.writtenHash = hash;
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  }

  /** The configuration a server state describes (seeds drawn by the server included). */
  adoptState(state) {
    const config = fromSpec(state.spec, this.options);
    // Own data has no dataset spec: the controls and the link keep the dataset it was made from.
    if (!state.spec.dataset && this.config) Object.assign(config, pick(this.config, DATASET_PROPERTIES));
    this.show(config);
  }

  /** Create the network a configuration describes (the "rebuilt" event shows it). */
  create(config, reason) {
    const sameDataset = Boolean(this.config) && DATASET_PROPERTIES.every((k) => config[k] === this.config[k]);
    const body = this.withData(toCreateBody(config, this.options), sameDataset);
    return this.session.create(body, reason);
  }

  /** A control proposed `next`; `names` are the properties that changed. */
  async propose(next, names) {
    const live = names.every(isLive);
    try {
      if (live) {
        const state = await this.session.patch(toPatchBody(next, this.options));
        this.adoptState(state);
      } else {
        this.onRebuild();
        await this.create(next, "config");
      }
      this.messages.clearError();
      this.messages.info(describeChange(names, this.options));
    } catch (error) {
      const name = controlOfField(error?.field);
      if (name && name in this.controls.inputs) { // a refused value: marked, in the learner's words
        this.controls.refuse(name, explainRefusal(error) ?? error.message);
      } else {
        this.messages.error(live ? t("errorTitlePatch") : t("errorTitleCreate"), error, t("hintRefused"));
      }
      this.show(this.config); // the controls show what is in force again (a refused value stays marked)
    }
  }

  /** The learner edited the hash by hand (or followed a link within the page). */
  followHash() {
    if (window.location.hash === this.writtenHash || !this.config) return;
    const { config, ignored } = fromHash(window.location.hash, this.options);
    if (ignored.length > 0) this.messages.info(t("noticeHashIgnored", { keys: this.settingNames(ignored) }));
    const names = changedProperties(this.config, config);
    if (names.length > 0) this.propose(config, names);
  }
}

const REBUILT_NOTICES = {
  restored: "noticeRestored",
  expired: "noticeExpired",
  imported: "noticeImported",
};

/** The properties that describe a generated dataset (what own data replaces). */
const DATASET_PROPERTIES = ["dataset", "noise", "trainFraction", "samples", "dataSeed"];

function pick(config, names) {
  return Object.fromEntries(names.map((n) => [n, config[n]]));
}
