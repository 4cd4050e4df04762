import { followedSkaters } from "./follow.js";
import { t } from "./i18n.js";

// Push notifications about the skaters this browser follows, with the page closed (docs/spectators.md). Every page
// registers the service worker (/sw.js: the notifications, and the last standings offline). A page with a
// [data-push] panel ("My skaters") offers to turn notifications on or off; once on, every change to the followed
// skaters (a star, anywhere) is sent to /api/push/subscriptions, which keeps only the browser's push endpoint, its
// keys, the language and the skater ids.

const SYNC_DELAY_MS = 500;
let syncTimer = null;

const supported = () => "serviceWorker" in navigator && "PushManager" in globalThis && "Notification" in globalThis;
// iPhone and iPad deliver Web Push only to a site added to the Home Screen (iOS 16.4 and later).
const appleMobile = () => /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.maxTouchPoints > 1 && /Macintosh/.test(navigator.userAgent));
const installed = () => globalThis.matchMedia?.("(display-mode: standalone)").matches || navigator.standalone === true;

async function registration() {
  return navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

function applicationServerKey(base64url) {
  const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

async function currentSubscription() {
  if (!supported()) return null;
  const ready = await navigator.serviceWorker.getRegistration("/");
  return ready ? ready.pushManager.getSubscription() : null;
}

async function subscriptionSend(subscription) {
  const skaters = Object.keys(followedSkaters()).map(Number).filter(Number.isInteger);
  const response = await fetch("/api/push/subscriptions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ subscription: subscription.toJSON(), skaters, language: document.documentElement.lang }),
  });
  if (!response.ok) throw new Error((await response.json().catch(() => null))?.message ?? response.statusText);
  return skaters.length;
}

async function turnOn() {
  if ((await Notification.requestPermission()) !== "granted") return null;
  const worker = await registration();
  await navigator.serviceWorker.ready;
  const { public_key: key } = await (await fetch("/api/push/key")).json();
  const subscription = await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(key) });
  await subscriptionSend(subscription);
  return subscription;
}

async function turnOff(subscription) {
  await fetch("/api/push/subscriptions", {
    method: "DELETE",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ endpoint: subscription.endpoint }),
  });
  await subscription.unsubscribe();
}

// The panel: what is possible on this device, and one button.
async function panelShow(panel) {
  const status = panel.querySelector('[data-ref="push-status"]');
  const button = panel.querySelector('[data-ref="push-toggle"]');
  const note = panel.querySelector('[data-ref="push-note"]');
  note.hidden = !(appleMobile() && !installed());
  if (!supported()) {
    status.textContent = appleMobile()
      ? t("Add Skating Live to your Home Screen to get notifications on this device.")
      : t("This browser cannot show notifications with the page closed.");
    button.hidden = true;
    return;
  }
  if (Notification.permission === "denied") {
    status.textContent = t("Notifications are blocked for this site: allow them in your browser's settings.");
    button.hidden = true;
    return;
  }
  const subscription = await currentSubscription();
  const count = Object.keys(followedSkaters()).length;
  panel.classList.toggle("is-on", Boolean(subscription));
  status.textContent = subscription
    ? t("Notifications are on for the skaters you follow (%(count)s).", { count })
    : t("Get told when your skaters are on deck, finish and are confirmed, with the page closed.");
  button.hidden = false;
  button.textContent = subscription ? t("Turn notifications off") : t("Turn notifications on");
  button.onclick = async () => {
    button.disabled = true;
    try {
      if (subscription) await turnOff(subscription);
      else await turnOn();
    } catch (error) {
      status.textContent = t("This browser would not turn notifications on (%(error)s). A private window never can.", { error: error.message });
      button.disabled = false;
      return;
    }
    button.disabled = false;
    await panelShow(panel);
  };
}

// A star changed: the push service's list follows, once the spectator has stopped tapping.
function followedChanged() {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(async () => {
    const subscription = await currentSubscription();
    if (subscription) await subscriptionSend(subscription).catch(() => null);
    const panel = document.querySelector("[data-push]");
    if (panel) await panelShow(panel);
  }, SYNC_DELAY_MS);
}

if (supported()) registration().catch(() => null);
document.addEventListener("skating:followed", followedChanged);
const panel = document.querySelector("[data-push]");
if (panel) panelShow(panel);
