// The two instructions of a play (docs/views.md, "Reports"): a sealed report every sealedEveryMs and a plain one every
// plainEveryMs, on a fixed schedule from the start of the play, for as long as the play lasts (downloading, playing,
// paused). Each says what the <video> element does now: Playing, Seeked since the previous report of its kind, and
// Ended on the last; the position is its currentTime, the bytes those downloaded so far.

import { Flags } from './play-protocol.js';

const HAVE_FUTURE_DATA = 3;

/**
 * @param {object} options
 * @param {ReturnType<typeof import('./play-session.js').createSession>} options.session
 * @param {HTMLVideoElement} options.video
 * @param {() => number} options.bytesDownloaded
 * @param {(error: unknown) => void} options.onRefused a report was refused: the play is over (the server closed it)
 */
export function reportOnSchedule({ session, video, bytesDownloaded, onRefused }) {
  const { sealedEveryMs, plainEveryMs } = session.started;
  const startedAt = performance.now();
  let stopped = false;

  function kind(periodMs, send) {
    // inFlight: the report of this kind under way. The next waits for it, so that the server sees the counters in order
    // (a later counter judged first would make the earlier one a replay).
    const state = { count: 0, seeked: false, timer: null, inFlight: Promise.resolve() };
    const schedule = () => {
      state.timer = setTimeout(tick, Math.max(0, startedAt + (state.count + 1) * periodMs - performance.now()));
    };
    function report(extraFlags = 0) {
      const sent = state.inFlight.catch(() => {}).then(() => {
        const flags = (playing() ? Flags.Playing : 0) | (state.seeked ? Flags.Seeked : 0) | extraFlags;
        state.seeked = false;
        return send({ flags, bytesDownloaded: bytesDownloaded(), positionMs: Math.round(video.currentTime * 1000) });
      });
      state.inFlight = sent;
      return sent;
    }
    async function tick() {
      if (stopped) return;
      state.count++;
      schedule();
      try {
        await report();
      } catch (error) {
        if (stopped) return;
        stop();
        onRefused(error);
      }
    }
    schedule();
    return {
      seeked: () => { state.seeked = true; },
      stop: () => clearTimeout(state.timer),
      // The last report, with Ended: the server takes it whenever it comes (it is the one report that may come early).
      finalReport: () => report(Flags.Ended),
    };
  }

  const playing = () => !video.paused && !video.ended && video.readyState >= HAVE_FUTURE_DATA;
  const kinds = [kind(sealedEveryMs, session.sendSealed), kind(plainEveryMs, session.sendPlain)];
  const seeked = () => kinds.forEach((each) => each.seeked());
  video.addEventListener('seeking', seeked);

  function stop() {
    stopped = true;
    video.removeEventListener('seeking', seeked);
    kinds.forEach((each) => each.stop());
  }

  return {
    /** Stops reporting and ends the play after a last Ended report of each kind; resolves with its record. */
    async finish() {
      if (!stopped) {
        stop();
        // A refused last report closes the play as illegal; the record says why, so the refusal itself is not shown.
        await Promise.all(kinds.map((each) => each.finalReport().catch(() => {})));
      }
      return session.end();
    },
    stop,
  };
}
