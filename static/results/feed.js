// The race socket as a small client: connects, reconnects with a capped, jittered backoff, asks only for what it
// does not have (?since=<version>), drops versions it already shows, and treats a link that stays silent past
// its heartbeats as dead. Every live page (board, embed, overlays, scoreboard) follows a race through this.
// It takes changes as patches (?delta=1): after one whole snapshot, each version comes as a patch from the one it
// has (feed-patch.js), a tenth of the bytes; the server sends a whole snapshot to a client not on a patch's base.
// The protocol is documented in docs/feed.md.

import { patchApply } from "./feed-patch.js";

// The server closes with this code for a race it does not know: reconnecting would not help.
export const CLOSE_NOT_FOUND = 4404;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15000;
// A link is taken for dead when nothing (not even a heartbeat) arrived for this many heartbeat intervals.
const SILENT_HEARTBEATS = 2.5;

// followRace({ path, origin, version, snapshot, heartbeatSeconds, type, onSnapshot(snapshot), onState(state, detail) })
// `snapshot`: the document at `version`, if the page has it (else the first message is the whole snapshot).
// state is "connecting", "live", "reconnecting" or "closed" (detail "not-found"). Any board's socket works the same
// way: `type` is the type of its documents ("snapshot" for a race, "classification" for a classification). `origin`
// ("wss://results.example.org") is this page's server unless given: the graphics templates run on other servers.
// Returns a function that stops following for good.
export function followRace({
  path,
  origin = "",
  version = 0,
  snapshot = null,
  heartbeatSeconds = 15,
  type = "snapshot",
  onSnapshot,
  onState,
}) {
  let shown = Number(version) || 0;
  let current = snapshot; // the document at `shown`: what patches apply to (null until a whole snapshot came)
  let stopped = false;
  let attempt = 0;
  let retryTimer = null;
  let silenceTimer = null;
  let socket = null;

  function connect() {
    retryTimer = null;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    // Without the document, ask for the whole snapshot even at a version already shown: patches need it.
    const since = current ? shown : 0;
    socket = new WebSocket(`${origin || `${scheme}://${window.location.host}`}${path}?since=${since}&delta=1`);
    socket.addEventListener("open", () => {
      // The server sends nothing when we are up to date, so an open link with no message is live too.
      attempt = 0;
      onState("live");
      expectSoon();
    });
    socket.addEventListener("message", (event) => receive(event.data));
    socket.addEventListener("close", (event) => {
      window.clearTimeout(silenceTimer);
      if (stopped) return;
      if (event.code === CLOSE_NOT_FOUND) {
        onState("closed", "not-found");
        return;
      }
      reconnectLater();
    });
  }

  function expectSoon() {
    window.clearTimeout(silenceTimer);
    silenceTimer = window.setTimeout(() => socket.close(), heartbeatSeconds * SILENT_HEARTBEATS * 1000);
  }

  function reconnectLater() {
    // Capped exponential backoff with jitter, so a restarted server is not hit by every board at once.
    const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() * 0.5);
    attempt += 1;
    onState("reconnecting");
    retryTimer = window.setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (retryTimer === null) return;
    window.clearTimeout(retryTimer);
    connect();
  }

  function receive(text) {
    expectSoon();
    let message;
    try {
      message = JSON.parse(text);
    } catch (error) {
      console.warn("race socket: not JSON", error);
      return;
    }
    if (message.type === "patch") {
      // A patch is only ever sent on the version this client has; anything else is a bug: start again whole.
      if (current === null || message.base !== shown) {
        current = null;
        socket.close();
        return;
      }
      message = patchApply(current, message);
    } else if (message.type !== type || message.version < shown) {
      return;
    }
    const newer = message.version > shown;
    current = message;
    shown = message.version;
    if (newer) onSnapshot(message);
  }

  window.addEventListener("online", reconnectNow);
  onState("connecting");
  connect();
  return function stop() {
    stopped = true;
    window.removeEventListener("online", reconnectNow);
    window.clearTimeout(retryTimer);
    window.clearTimeout(silenceTimer);
    socket.close();
  };
}
