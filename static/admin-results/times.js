// Race times as officials type them, in the browser: the same forms and the same reading as results/rules/times.py,
// so the preview next to a field shows exactly what the server will store. tests/browser/test_entry_keyboard.py
// checks the two agree on every example.

// Minutes (optional) end with ":" or "." (Dutch style 1.12,31); the fraction follows "." or ",".
const TIME_INPUT = /^(?:(\d{1,2})[:.](?=\d{2}[.,]))?(\d{1,3})[.,](\d{2,3})$/;

// The messages of results/rules/times.py, word for word: the preview says what the server will say.
const TIME_FORMAT_ERROR =
  "“{text}” is not a time. Type seconds with hundredths, minutes first if any: " +
  "1:12.31, 1.12,31, 1.12.31, 72.31 or 1:12.315.";
const TIME_SECONDS_ERROR = "“{text}” has {seconds} seconds after the minutes; seconds run from 00 to 59.";
const TIME_ZERO_ERROR = "A time must be more than zero.";

// Thousandths, or why not: { ms: 72310 } or { error: "..." }.
export function parseTime(text) {
  const cleaned = text.trim();
  const match = TIME_INPUT.exec(cleaned);
  if (!match) {
    return { error: TIME_FORMAT_ERROR.replace("{text}", cleaned) };
  }
  const [, minutesText, secondsText, fraction] = match;
  const minutes = Number(minutesText ?? 0);
  const seconds = Number(secondsText);
  if (minutesText !== undefined && seconds >= 60) {
    return { error: TIME_SECONDS_ERROR.replace("{text}", cleaned).replace("{seconds}", String(seconds)) };
  }
  const ms = (minutes * 60 + seconds) * 1000 + Number(fraction.padEnd(3, "0"));
  if (ms === 0) {
    return { error: TIME_ZERO_ERROR };
  }
  return { ms };
}

// A time as officials type it back (results/admin/forms.py time_input_text): 1:12.31, or 1:12.315 when the thousandth
// is not zero, so that the preview shows every digit the server stores.
export function formatTyped(ms) {
  const thousandth = ms % 10;
  return formatTime(ms) + (thousandth ? String(thousandth) : "");
}

// As result lists print it: hundredths truncated, m:ss.hh from a minute on, the thousandth in brackets if asked.
export function formatTime(ms, withThousandth = false) {
  const centiseconds = Math.floor(ms / 10);
  const minutes = Math.floor(centiseconds / 6000);
  const seconds = Math.floor((centiseconds % 6000) / 100);
  const cents = String(centiseconds % 100).padStart(2, "0");
  const clock = minutes ? `${minutes}:${String(seconds).padStart(2, "0")}.${cents}` : `${seconds}.${cents}`;
  return withThousandth ? `${clock}(${ms % 10})` : clock;
}
